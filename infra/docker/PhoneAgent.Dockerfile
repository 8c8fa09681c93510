# PhoneAgent. Build from the repository root:
#   docker build -f infra/docker/PhoneAgent.Dockerfile -t phoneagent .
# The build stage runs scripts/publish.sh, the same script CI runs (infra/docker/verify.sh), so there is one way
# to publish. The image build itself is not verified in CI here (no Docker engine); verify.sh checks every COPY
# source and runs the published app the way this image runs it.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY scripts/publish.sh scripts/
RUN bash scripts/publish.sh /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /out/PhoneAgent/ ./
# The aspnet image listens on ASPNETCORE_HTTP_PORTS=8080; PORT (Cloud Run) wins over it when set.
# Production: PublicBaseUrl, Twilio and Gemini credentials are required (pass them at run time, never bake them in).
# Logs as JSON lines with scopes: every line of a call carries its CallSid.
# The app folder is read-only for the non-root user: without Database__Provider=Postgres (compose, Kubernetes) the
# SQLite file is a throw-away one in /tmp (a single-instance demo); mount a volume and point it there to keep it.
ENV ASPNETCORE_ENVIRONMENT=Production \
    Logging__Console__FormatterName=json \
    Logging__Console__FormatterOptions__IncludeScopes=true \
    ConnectionStrings__PhoneAgent="Data Source=/tmp/phoneagent/phoneagent.db"
EXPOSE 8080
# The non-root user the aspnet images ship (uid 1654).
USER $APP_UID
# Runtime images have no curl: the app probes its own /healthz on loopback (PhoneAgent --healthcheck).
HEALTHCHECK --interval=15s --timeout=6s --start-period=20s --retries=3 CMD ["/app/PhoneAgent", "--healthcheck"]
ENTRYPOINT ["/app/PhoneAgent"]
