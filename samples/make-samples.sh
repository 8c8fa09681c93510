#!/usr/bin/env bash
# Regenerates the caller recordings that CallReplay plays into PhoneAgent, with espeak-ng and sox:
#   <name>.wav   the caller's side of a call: a lead-in pause (the agent greets first), then utterances
#                separated by pauses, over a faint line-noise floor (-66 dBFS), as 8 kHz mu-law WAV or
#                16 kHz PCM16 WAV
#   <name>.json  its transcript: { recording, sampleRate, encoding, durationMs, utterances: [{ startMs, endMs, text }] }
#                (the Gemini Live emulator uses each text as the scripted input transcription of that turn)
#
# Utterance boundaries come from the audio's energy: each utterance is synthesised on its own and trimmed with
# sox's `silence` effect (a level threshold), and its kept length (soxi) places it on the timeline, so
# startMs/endMs bracket the speech and nothing else. CallReplay's SpeechSegmenter finds the same boundaries
# within a frame or two (tests/CallReplay.Tests checks every sample against its sidecar).
#
# Usage: samples/make-samples.sh   (needs espeak-ng and sox: apt-get install espeak-ng sox). -R and no dither make
# every run byte-identical.
set -euo pipefail
cd "$(dirname "$0")"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# make NAME RATE ENCODING VOICE SPEED LEAD_S  "PAUSE_AFTER_S|TEXT" ...
#   RATE 8000 + ENCODING mu-law, or RATE 16000 + ENCODING signed-integer (PCM16)
make() {
  local name="$1" rate="$2" encoding="$3" voice="$4" speed="$5" lead="$6"
  shift 6
  local parts=() entries=() position_ms i=0
  sox -R -n -r "$rate" -c 1 -b 16 -e signed-integer "$tmp/lead.wav" trim 0 "$lead"
  parts+=("$tmp/lead.wav")
  position_ms="$(awk -v s="$lead" 'BEGIN { printf "%d", s * 1000 + 0.5 }')"
  for item in "$@"; do
    local pause="${item%%|*}" text="${item#*|}"
    i=$((i + 1))
    espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw$i.wav" "$text"
    # Energy trim at both ends (0.2 % of full scale, -54 dBFS, held for 20 ms), then the recording's rate and encoding.
    sox -R "$tmp/raw$i.wav" -D -r "$rate" -c 1 -b 16 -e signed-integer "$tmp/utt$i.wav" \
      silence 1 0.02 0.2% reverse silence 1 0.02 0.2% reverse norm -4
    local samples length_ms
    samples="$(soxi -s "$tmp/utt$i.wav")"
    length_ms=$(( (samples * 1000 + rate / 2) / rate ))
    local escaped="${text//\\/\\\\}"
    escaped="${escaped//\"/\\\"}"
    entries+=("    { \"startMs\": $position_ms, \"endMs\": $((position_ms + length_ms)), \"text\": \"$escaped\" }")
    sox -R -n -r "$rate" -c 1 -b 16 -e signed-integer "$tmp/pause$i.wav" trim 0 "$pause"
    parts+=("$tmp/utt$i.wav" "$tmp/pause$i.wav")
    position_ms=$(( position_ms + length_ms + $(awk -v s="$pause" 'BEGIN { printf "%d", s * 1000 + 0.5 }') ))
  done

  sox -R "${parts[@]}" "$tmp/speech.wav"
  local total
  total="$(soxi -s "$tmp/speech.wav")"
  # A faint, repeatable line-noise floor, as a real line has: pauses are quiet but not digital zero.
  sox -R -n -r "$rate" -c 1 -b 16 -e signed-integer "$tmp/noise.wav" synth "${total}s" pinknoise vol 0.0005
  local bits=16
  [[ "$encoding" == "mu-law" ]] && bits=8
  sox -R -m "$tmp/speech.wav" "$tmp/noise.wav" -D -r "$rate" -c 1 -b "$bits" -e "$encoding" "$name.wav"

  {
    echo "{"
    echo "  \"recording\": \"$name.wav\","
    echo "  \"sampleRate\": $rate,"
    echo "  \"encoding\": \"$([[ "$encoding" == "mu-law" ]] && echo mulaw || echo pcm16)\","
    echo "  \"durationMs\": $(( (total * 1000 + rate / 2) / rate )),"
    echo "  \"utterances\": ["
    for j in "${!entries[@]}"; do
      if (( j < ${#entries[@]} - 1 )); then echo "${entries[$j]},"; else echo "${entries[$j]}"; fi
    done
    echo "  ]"
    echo "}"
  } > "$name.json"
  echo "wrote $name.wav ($(stat -c %s "$name.wav") bytes, ${#entries[@]} utterances)"
}

# The agent greets first (about 3.5 s with the emulator's greeting), so most callers wait before speaking.
make order-status 8000 mu-law en-us 165 5.0 \
  "6.0|Hi, I am calling about my order. It has not arrived yet." \
  "6.0|The order number is four five seven one two." \
  "1.0|Okay, thank you very much. Goodbye."

make refund-request 16000 signed-integer en-gb 170 4.0 \
  "4.5|I would like a refund for a broken kettle." \
  "1.0|Yes, please go ahead."

make talk-to-human 8000 mu-law en-us+f3 170 5.0 \
  "6.0|I want to speak to a real person, please." \
  "1.0|Yes. Please transfer me now."

# Barge-in: the caller talks over the greeting 1.5 s in, then waits for the answer.
make barge-in 8000 mu-law en-us+m3 175 1.5 \
  "6.0|Sorry, I am in a bit of a hurry." \
  "1.0|Can you check my delivery, please?"
