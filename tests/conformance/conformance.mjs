// Conformance with a client no one here wrote: Google's official JavaScript SDK (@google/genai, pinned in
// package-lock.json) against the PhoneAgent Gemini Live emulator, on both back ends. It streams a spoken request,
// answers the toolCall the scenario makes, and checks setupComplete, audio, transcriptions and turnComplete.
// Usage: node conformance.mjs <emulator origin> <caller wav (PCM16 mono)> <wire dump dir>
import { GoogleGenAI, Modality } from '@google/genai';
import { OAuth2Client } from 'google-auth-library';
import { readFileSync } from 'node:fs';
import { startWireProxy } from './wire-proxy.mjs';

const [emulatorOrigin, wavPath, dumpDir] = process.argv.slice(2);
if (!emulatorOrigin || !wavPath || !dumpDir) {
  console.error('usage: node conformance.mjs <emulator origin> <caller.wav> <dump dir>');
  process.exit(2);
}

const model = 'gemini-live-2.5-flash-native-audio';
const { rate, samples } = readWav(wavPath);

const backends = [
  {
    label: 'devapi',
    client: (origin) => new GoogleGenAI({ apiKey: 'conformance-key', httpOptions: { baseUrl: origin } }),
    model,
  },
  {
    label: 'vertex',
    // A preset bearer token: no network, no credentials file.
    client: (origin) => {
      const authClient = new OAuth2Client();
      authClient.setCredentials({ access_token: 'conformance-token', expiry_date: Date.now() + 3_600_000 });
      return new GoogleGenAI({
        vertexai: true, project: 'conformance-project', location: 'us-central1',
        googleAuthOptions: { authClient }, httpOptions: { baseUrl: origin },
      });
    },
    model,
  },
];

let failed = false;
for (const backend of backends) {
  const proxy = await startWireProxy(emulatorOrigin, dumpDir, backend.label);
  try {
    const result = await runSession(backend.client(proxy.origin), backend.model);
    const problems = check(result);
    const summary = `${backend.label}: path ${proxy.connections[0]?.path}, setupComplete ${result.setupComplete}, ` +
      `audio ${result.audioBytes} B (${result.audioMime}), in "${result.input.trim()}", out "${result.output.trim()}", ` +
      `toolCalls ${result.toolCalls.join(',') || 'none'}, turnCompletes ${result.turnCompletes}`;
    console.log(summary);
    if (problems.length) { failed = true; console.error(`FAIL ${backend.label}: ${problems.join('; ')}`); }
    else console.log(`PASS ${backend.label}`);
  } catch (error) {
    failed = true;
    console.error(`FAIL ${backend.label}: ${error.stack ?? error}`);
  } finally {
    await proxy.close();
  }
}
process.exit(failed ? 1 : 0);

function check(r) {
  const problems = [];
  if (!r.setupComplete) problems.push('no setupComplete');
  if (r.audioBytes < 24000) problems.push(`only ${r.audioBytes} bytes of audio`);
  if (!/^audio\/pcm/.test(r.audioMime ?? '')) problems.push(`audio labelled ${r.audioMime}`);
  if (!r.input.trim()) problems.push('no input transcription');
  if (!r.output.trim()) problems.push('no output transcription');
  if (r.toolCalls.length === 0) problems.push('no toolCall');
  if (r.audioAfterToolResponse === 0) problems.push('no audio after the toolResponse');
  if (r.turnCompletes < 1) problems.push('no turnComplete');
  if (r.closeCode && r.closeCode !== 1000) problems.push(`closed with ${r.closeCode} ${r.closeReason}`);
  return problems;
}

async function runSession(ai, modelName) {
  const result = {
    setupComplete: false, audioBytes: 0, audioMime: undefined, input: '', output: '', toolCalls: [],
    turnCompletes: 0, audioAfterToolResponse: 0, closeCode: undefined, closeReason: '',
  };
  let toolAnswered = false;
  let resolveDone;
  const done = new Promise((resolve) => { resolveDone = resolve; });
  let resolveSetup;
  const setup = new Promise((resolve) => { resolveSetup = resolve; });

  const session = await ai.live.connect({
    model: modelName,
    config: {
      responseModalities: [Modality.AUDIO],
      speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Aoede' } } },
      systemInstruction: 'You are a customer support agent on a phone call.',
      inputAudioTranscription: {},
      outputAudioTranscription: {},
      sessionResumption: {},
      contextWindowCompression: { slidingWindow: {} },
      realtimeInputConfig: { automaticActivityDetection: { silenceDurationMs: 500 } },
      tools: [{ functionDeclarations: [{
        name: 'lookup_order', description: 'Look up an order by its id.',
        parameters: { type: 'OBJECT', properties: { order_id: { type: 'STRING' } }, required: ['order_id'] },
      }] }],
    },
    callbacks: {
      onmessage: (message) => {
        if (message.setupComplete) { result.setupComplete = true; resolveSetup(); }
        const content = message.serverContent;
        if (content?.modelTurn?.parts) {
          for (const part of content.modelTurn.parts) {
            if (part.inlineData?.data) {
              const bytes = Buffer.from(part.inlineData.data, 'base64').length;
              result.audioBytes += bytes;
              result.audioMime ??= part.inlineData.mimeType;
              if (toolAnswered) result.audioAfterToolResponse += bytes;
            }
          }
        }
        if (content?.inputTranscription?.text) result.input += content.inputTranscription.text;
        if (content?.outputTranscription?.text) result.output += content.outputTranscription.text;
        if (message.toolCall?.functionCalls) {
          const functionResponses = message.toolCall.functionCalls.map((call) => {
            result.toolCalls.push(call.name);
            return { id: call.id, name: call.name, response: { output: { status: 'shipped', eta: 'tomorrow' } } };
          });
          session.sendToolResponse({ functionResponses });
          toolAnswered = true;
        }
        if (content?.turnComplete) {
          result.turnCompletes += 1;
          if (toolAnswered && result.audioAfterToolResponse > 0) resolveDone();
        }
      },
      onerror: (error) => { result.closeReason = String(error?.message ?? error); resolveDone(); },
      onclose: (event) => { result.closeCode = event.code; result.closeReason = event.reason; resolveDone(); },
    },
  });

  await withTimeout(setup, 10_000, 'setupComplete');
  // A context note on the model's side (as the bridge's barge-in note): turnComplete false must not start a reply.
  session.sendClientContent({ turns: [{ role: 'model', parts: [{ text: "[interrupted: the caller heard only 'Thanks for']" }] }], turnComplete: false });
  // Stream the caller's request in 20 ms chunks at real-time pace, then a second of silence.
  const chunk = Math.round(rate / 50);
  const silence = new Int16Array(rate);
  for (const source of [samples, silence]) {
    for (let offset = 0; offset < source.length; offset += chunk) {
      const piece = source.subarray(offset, Math.min(offset + chunk, source.length));
      session.sendRealtimeInput({ audio: { data: Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString('base64'), mimeType: `audio/pcm;rate=${rate}` } });
      await sleep(20);
    }
  }
  session.sendRealtimeInput({ audioStreamEnd: true });
  await withTimeout(done, 20_000, 'the reply after the tool call');
  session.close();
  return result;
}

function readWav(path) {
  const buffer = readFileSync(path);
  if (buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not a WAV file`);
  let offset = 12, sampleRate, bits, channels, data;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    if (id === 'fmt ') { channels = buffer.readUInt16LE(offset + 10); sampleRate = buffer.readUInt32LE(offset + 12); bits = buffer.readUInt16LE(offset + 22); }
    if (id === 'data') data = buffer.subarray(offset + 8, offset + 8 + size);
    offset += 8 + size + (size % 2);
  }
  if (bits !== 16 || channels !== 1 || !data) throw new Error(`${path}: expected mono PCM16`);
  const copy = Buffer.from(data);
  return { rate: sampleRate, samples: new Int16Array(copy.buffer, copy.byteOffset, copy.length / 2) };
}

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

function withTimeout(promise, ms, what) {
  return Promise.race([promise, sleep(ms).then(() => { throw new Error(`timed out after ${ms} ms waiting for ${what}`); })]);
}
