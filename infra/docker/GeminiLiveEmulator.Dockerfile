# The standalone Gemini Live emulator (demos, docker-compose, load tests). Build from the repository root:
#   docker build -f infra/docker/GeminiLiveEmulator.Dockerfile -t gemini-live-emulator .
# Same build stage as PhoneAgent's image (scripts/publish.sh publishes both). Not verified in CI here (no Docker
# engine); infra/docker/verify.sh checks every COPY source and runs the published emulator the way this image runs it.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY scripts/publish.sh scripts/
RUN bash scripts/publish.sh /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /out/GeminiLiveEmulator/ ./
EXPOSE 8080
USER $APP_UID
# Text the shipped clips do not cover is spoken with espeak-ng when present; this image leaves it out (the emulator
# then uses its built-in babble), which keeps the image small.
HEALTHCHECK --interval=15s --timeout=6s --start-period=10s --retries=3 CMD ["/app/GeminiLiveEmulator", "--healthcheck", "--urls", "http://127.0.0.1:8080"]
ENTRYPOINT ["/app/GeminiLiveEmulator"]
CMD ["--urls", "http://0.0.0.0:8080"]
