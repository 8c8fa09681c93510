// Computes X-Twilio-Signature test vectors with Twilio's own helper library (npm "twilio"), an implementation
// PhoneAgent did not write, and writes them to signature-vectors.json. Run once, commit the output:
//
//   npm ci && node make-signature-vectors.mjs
//
// `dotnet test` only reads the committed JSON; it never needs Node.
import { writeFileSync } from "node:fs";
import twilio from "twilio";

const { getExpectedTwilioSignature, validateRequest } = twilio;

const tokens = {
  primary: "0123456789abcdef0123456789abcdef",
  secondary: "fedcba9876543210fedcba9876543210",
  other: "99999999999999999999999999999999",
  // TwilioDefaults.DevelopmentAuthToken: CallReplay signs with it by default.
  development: "phoneagent-dev-auth-token-000000",
};

const voiceParams = {
  AccountSid: "AC0123456789abcdef0123456789abcdef",
  ApiVersion: "2010-04-01",
  CallSid: "CA11111111111111111111111111111111",
  CallStatus: "ringing",
  Called: "+15005550006",
  Caller: "+14155550100",
  Direction: "inbound",
  From: "+14155550100",
  FromCity: "SAN FRANCISCO",
  To: "+15005550006",
  CallerName: "Zoë O'Brien & Co",
};

const statusParams = {
  AccountSid: voiceParams.AccountSid,
  CallSid: voiceParams.CallSid,
  CallStatus: "completed",
  CallDuration: "42",
  Timestamp: "Tue, 25 Nov 2026 10:00:00 +0000",
};

// kind: "webhook" (POST form to an https URL) or "upgrade" (GET WebSocket upgrade of the wss stream URL, no params).
// publicBaseUrl: what PhoneAgent:PublicBaseUrl is set to; path (+ query) is what the request carries;
// signedUrl: the URL string the signature was computed over; token: which token signed.
const cases = [
  // Webhooks
  { name: "voice-valid", kind: "webhook", publicBaseUrl: "https://agent.example.com", path: "/twilio/voice", signedUrl: "https://agent.example.com/twilio/voice", params: voiceParams, token: "primary", valid: true },
  { name: "voice-signed-with-default-port", kind: "webhook", publicBaseUrl: "https://agent.example.com", path: "/twilio/voice", signedUrl: "https://agent.example.com:443/twilio/voice", params: voiceParams, token: "primary", valid: true },
  { name: "voice-base-with-port-and-prefix", kind: "webhook", publicBaseUrl: "https://agent.example.com:8443/phone", path: "/twilio/voice", signedUrl: "https://agent.example.com:8443/phone/twilio/voice", params: voiceParams, token: "primary", valid: true },
  { name: "voice-base-with-default-port-signed-without", kind: "webhook", publicBaseUrl: "https://agent.example.com:443", path: "/twilio/voice", signedUrl: "https://agent.example.com/twilio/voice", params: voiceParams, token: "primary", valid: true },
  { name: "voice-rotated-secondary-token", kind: "webhook", publicBaseUrl: "https://agent.example.com", path: "/twilio/voice", signedUrl: "https://agent.example.com/twilio/voice", params: voiceParams, token: "secondary", valid: true },
  { name: "voice-development-token", kind: "webhook", publicBaseUrl: "https://agent.example.com", path: "/twilio/voice", signedUrl: "https://agent.example.com/twilio/voice", params: voiceParams, token: "development", valid: true },
  { name: "status-with-query-string", kind: "webhook", publicBaseUrl: "https://agent.example.com", path: "/twilio/call-status?attempt=2&note=a%20b", signedUrl: "https://agent.example.com/twilio/call-status?attempt=2&note=a%20b", params: statusParams, token: "primary", valid: true },
  { name: "voice-wrong-token", kind: "webhook", publicBaseUrl: "https://agent.example.com", path: "/twilio/voice", signedUrl: "https://agent.example.com/twilio/voice", params: voiceParams, token: "other", valid: false },
  { name: "voice-wrong-host", kind: "webhook", publicBaseUrl: "https://agent.example.com", path: "/twilio/voice", signedUrl: "https://attacker.example.net/twilio/voice", params: voiceParams, token: "primary", valid: false },
  { name: "voice-wrong-path", kind: "webhook", publicBaseUrl: "https://agent.example.com", path: "/twilio/voice", signedUrl: "https://agent.example.com/twilio/call-status", params: voiceParams, token: "primary", valid: false },
  { name: "voice-http-scheme", kind: "webhook", publicBaseUrl: "https://agent.example.com", path: "/twilio/voice", signedUrl: "http://agent.example.com/twilio/voice", params: voiceParams, token: "primary", valid: false },
  { name: "voice-missing-prefix", kind: "webhook", publicBaseUrl: "https://agent.example.com:8443/phone", path: "/twilio/voice", signedUrl: "https://agent.example.com:8443/twilio/voice", params: voiceParams, token: "primary", valid: false },
  { name: "voice-tampered-param", kind: "webhook", publicBaseUrl: "https://agent.example.com", path: "/twilio/voice", signedUrl: "https://agent.example.com/twilio/voice", params: voiceParams, token: "primary", valid: false, tamper: { To: "+15005550009" } },
  // WebSocket upgrades: the signed URL is the wss:// stream URL, no parameters.
  { name: "upgrade-exact", kind: "upgrade", publicBaseUrl: "https://agent.example.com", path: "/twilio/media", signedUrl: "wss://agent.example.com/twilio/media", params: {}, token: "primary", valid: true, variant: "exact" },
  { name: "upgrade-trailing-slash", kind: "upgrade", publicBaseUrl: "https://agent.example.com", path: "/twilio/media", signedUrl: "wss://agent.example.com/twilio/media/", params: {}, token: "primary", valid: true, variant: "trailing-slash" },
  { name: "upgrade-port-443", kind: "upgrade", publicBaseUrl: "https://agent.example.com", path: "/twilio/media", signedUrl: "wss://agent.example.com:443/twilio/media", params: {}, token: "primary", valid: true, variant: "port" },
  { name: "upgrade-port-443-trailing-slash", kind: "upgrade", publicBaseUrl: "https://agent.example.com", path: "/twilio/media", signedUrl: "wss://agent.example.com:443/twilio/media/", params: {}, token: "primary", valid: true, variant: "port-trailing-slash" },
  { name: "upgrade-helper-port-80", kind: "upgrade", publicBaseUrl: "https://agent.example.com", path: "/twilio/media", signedUrl: "wss://agent.example.com:80/twilio/media", params: {}, token: "primary", valid: true, variant: "helper-port" },
  { name: "upgrade-base-with-port-and-prefix", kind: "upgrade", publicBaseUrl: "https://agent.example.com:8443/phone", path: "/twilio/media", signedUrl: "wss://agent.example.com:8443/phone/twilio/media", params: {}, token: "primary", valid: true, variant: "exact" },
  { name: "upgrade-rotated-secondary-token", kind: "upgrade", publicBaseUrl: "https://agent.example.com", path: "/twilio/media", signedUrl: "wss://agent.example.com/twilio/media", params: {}, token: "secondary", valid: true, variant: "exact" },
  { name: "upgrade-https-scheme", kind: "upgrade", publicBaseUrl: "https://agent.example.com", path: "/twilio/media", signedUrl: "https://agent.example.com/twilio/media", params: {}, token: "primary", valid: false },
  { name: "upgrade-wrong-token", kind: "upgrade", publicBaseUrl: "https://agent.example.com", path: "/twilio/media", signedUrl: "wss://agent.example.com/twilio/media", params: {}, token: "other", valid: false },
  { name: "upgrade-wrong-host", kind: "upgrade", publicBaseUrl: "https://agent.example.com", path: "/twilio/media", signedUrl: "wss://attacker.example.net/twilio/media", params: {}, token: "primary", valid: false },
];

const vectors = cases.map((c) => {
  const signature = getExpectedTwilioSignature(tokens[c.token], c.signedUrl, c.params);
  const sent = { ...c.params, ...(c.tamper ?? {}) };
  // What Twilio's own validator says about the request as PhoneAgent rebuilds it (PublicBaseUrl + path + query).
  // For upgrades, the URL PhoneAgent checks is the wss form of PublicBaseUrl.
  const base = c.kind === "upgrade" ? c.publicBaseUrl.replace(/^https:/, "wss:") : c.publicBaseUrl;
  const nodeSaysValidForPrimaryOrSecondary =
    validateRequest(tokens.primary, signature, base + c.path, sent) ||
    validateRequest(tokens.secondary, signature, base + c.path, sent) ||
    validateRequest(tokens.development, signature, base + c.path, sent);
  return {
    name: c.name,
    kind: c.kind,
    publicBaseUrl: c.publicBaseUrl,
    path: c.path,
    signedUrl: c.signedUrl,
    token: c.token,
    params: sent,
    signature,
    valid: c.valid,
    variant: c.variant ?? null,
    nodeValidateRequest: nodeSaysValidForPrimaryOrSecondary,
  };
});

const output = {
  generator: "make-signature-vectors.mjs with npm twilio " + (await import("twilio/package.json", { with: { type: "json" } })).default.version,
  note: "nodeValidateRequest is twilio-node's validateRequest(token, signature, PublicBaseUrl(+wss) + path, params) for the primary, secondary or development token. It differs from 'valid' only where PhoneAgent accepts more URL variants on the upgrade (trailing slash, :443 on wss) than the helper tries.",
  tokens,
  vectors,
};

writeFileSync(new URL("./signature-vectors.json", import.meta.url), JSON.stringify(output, null, 2) + "\n");
console.log(`wrote ${vectors.length} vectors`);
