#!/usr/bin/env bash
# Regenerates the caller recordings that CallReplay plays into PhoneAgent (one call, the end-to-end tests, and
# `CallReplay load --recordings samples`), with espeak-ng and sox:
#   <name>.wav / <name>.ulaw   the caller's side of a call: a lead-in pause (the agent greets first), then utterances
#                separated by pauses (room for the agent's answer), over a line-noise floor
#   <name>.json  its transcript: { recording, sampleRate, encoding, [channels, callerChannel,] durationMs,
#                utterances: [{ startMs, endMs, text }] } (times on the caller's channel); CallReplay counts
#                response latency from each endMs and shows the text in its timelines
#
# The set covers the shipped profiles' scenarios (customer-support: verify the caller by PIN or by postcode + last
# order, look up an order, refund, transfer to a human, schedule a callback, barge-in; after-hours: questions
# answered from the knowledge base) and the formats the load tool reads:
#   8 kHz mu-law WAV          order-status, talk-to-human, barge-in, verify-pin, verify-postcode
#   raw 8 kHz mu-law (.ulaw)  schedule-callback (no header at all, as some recorders and PBXs write)
#   16 kHz PCM16 WAV          refund-request
#   44.1 kHz PCM16 WAV        after-hours-opening (a laptop or phone-app recording)
#   Twilio dual-channel WAV   after-hours-returns-dual: 8 kHz PCM16, two channels, the caller on the first and what
#                             the caller heard (an agent's voice) on the second; CallReplay replays the first
# in several voices (US, British, Scottish, Caribbean, New York) and speeds (140-190 words a minute), some over a
# noisy line (pink noise plus 60 Hz mains hum and its third harmonic) and with level changes between
# utterances (a caller who turns away from the phone or comes closer), as `|GAIN_DB` after an utterance's text.
# Keep the set small (the repository carries it): all files together stay under 2 MB.
#
# Utterance boundaries come from the audio's energy: each utterance is synthesised on its own and trimmed with
# sox's `silence` effect (a level threshold), and its kept length (soxi) places it on the timeline, so
# startMs/endMs bracket the speech and nothing else. CallReplay's SpeechSegmenter finds the same boundaries
# within a few frames, noise and level changes included (tests/CallReplay.Tests checks every sample against its
# sidecar, and that the load tool reads the whole folder).
#
# Usage: samples/make-samples.sh   (needs espeak-ng and sox: apt-get install espeak-ng sox). Deterministic: sox -R
# seeds its noise generator with a fixed number and no dither is applied (-D), and espeak-ng has no randomness, so
# with the same espeak-ng and sox versions every run writes byte-identical files (checked with espeak-ng 1.51 and
# SoX 14.4.2: `git status samples` stays clean after a run).
set -euo pipefail
cd "$(dirname "$0")"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The line under the speech: "quiet" is a faint, repeatable noise floor, as a real line has (pauses are quiet but not
# digital zero); "noisy" is louder pink noise with mains hum (60 and 180 Hz). Measured in the pauses of the written
# files (sox stats, RMS): about -78 dBFS quiet, -53 dBFS noisy, against about -27 dBFS for speech at its normal
# level (the final mix halves both). The noise is made at the file's rate (-r before -n), so it covers the whole call.
line_noise() {
  local kind="$1" rate="$2" samples="$3" out="$4"
  case "$kind" in
    quiet) sox -R -r "$rate" -c 1 -n -b 16 -e signed-integer "$out" synth "${samples}s" pinknoise vol 0.0005 ;;
    noisy)
      sox -R -r "$rate" -c 1 -n -b 16 -e signed-integer "$tmp/pink.wav" synth "${samples}s" pinknoise vol 0.012
      sox -R -r "$rate" -c 1 -n -b 16 -e signed-integer "$tmp/hum60.wav" synth "${samples}s" sine 60 vol 0.004
      sox -R -r "$rate" -c 1 -n -b 16 -e signed-integer "$tmp/hum180.wav" synth "${samples}s" sine 180 vol 0.002
      sox -R -m -v 1 "$tmp/pink.wav" -v 1 "$tmp/hum60.wav" -v 1 "$tmp/hum180.wav" -D "$out"
      ;;
    *) echo "unknown line noise: $kind" >&2; exit 1 ;;
  esac
}

ms() { awk -v s="$1" 'BEGIN { printf "%d", s * 1000 + 0.5 }'; }

# speech NAME RATE VOICE SPEED LEAD_S  "PAUSE_AFTER_S|TEXT[|GAIN_DB]" ...
#   Writes $tmp/NAME.speech.wav (PCM16 mono at RATE, no noise yet) and $tmp/NAME.entries (the transcript's utterance
#   lines); sets speech_samples.
speech() {
  local name="$1" rate="$2" voice="$3" speed="$4" lead="$5"
  shift 5
  local parts=() entries=() position_ms i=0
  sox -R -r "$rate" -c 1 -n -b 16 -e signed-integer "$tmp/lead.wav" trim 0 "$lead"
  parts+=("$tmp/lead.wav")
  position_ms="$(ms "$lead")"
  for item in "$@"; do
    local pause="${item%%|*}" rest="${item#*|}" text gain=""
    text="${rest%%|*}"
    [[ "$rest" == *"|"* ]] && gain="${rest#*|}"
    i=$((i + 1))
    espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw$i.wav" "$text"
    # Energy trim at both ends (0.2 % of full scale, -54 dBFS, held for 20 ms), then the recording's rate; the level
    # change, when asked for, after the peak normalisation.
    local effects=(silence 1 0.02 0.2% reverse silence 1 0.02 0.2% reverse norm -4)
    [[ -n "$gain" ]] && effects+=(gain "$gain")
    sox -R "$tmp/raw$i.wav" -D -r "$rate" -c 1 -b 16 -e signed-integer "$tmp/utt$i.wav" "${effects[@]}"
    local samples length_ms
    samples="$(soxi -s "$tmp/utt$i.wav")"
    length_ms=$(( (samples * 1000 + rate / 2) / rate ))
    local escaped="${text//\\/\\\\}"
    escaped="${escaped//\"/\\\"}"
    entries+=("    { \"startMs\": $position_ms, \"endMs\": $((position_ms + length_ms)), \"text\": \"$escaped\" }")
    sox -R -r "$rate" -c 1 -n -b 16 -e signed-integer "$tmp/pause$i.wav" trim 0 "$pause"
    parts+=("$tmp/utt$i.wav" "$tmp/pause$i.wav")
    position_ms=$(( position_ms + length_ms + $(ms "$pause") ))
  done

  sox -R "${parts[@]}" "$tmp/$name.speech.wav"
  speech_samples="$(soxi -s "$tmp/$name.speech.wav")"
  printf '%s\n' "${entries[@]}" > "$tmp/$name.entries"
}

# transcript NAME FILE RATE ENCODING CHANNELS SAMPLES: NAME.json from $tmp/NAME.entries.
transcript() {
  local name="$1" file="$2" rate="$3" encoding="$4" channels="$5" samples="$6"
  {
    echo "{"
    echo "  \"recording\": \"$file\","
    echo "  \"sampleRate\": $rate,"
    echo "  \"encoding\": \"$encoding\","
    if (( channels > 1 )); then
      echo "  \"channels\": $channels,"
      echo "  \"callerChannel\": 0,"
    fi
    echo "  \"durationMs\": $(( (samples * 1000 + rate / 2) / rate )),"
    echo "  \"utterances\": ["
    sed '$!s/$/,/' "$tmp/$name.entries"
    echo "  ]"
    echo "}"
  } > "$name.json"
  echo "wrote $file ($(stat -c %s "$file") bytes, $(wc -l < "$tmp/$name.entries") utterances)"
}

# make NAME FORMAT VOICE SPEED LEAD_S LINE  "PAUSE_AFTER_S|TEXT[|GAIN_DB]" ...
#   FORMAT: mulaw8k (8 kHz mu-law WAV), ulaw8k (raw 8 kHz mu-law, NAME.ulaw), pcm16k or pcm44k (PCM16 WAV at
#   16 or 44.1 kHz); LINE: quiet or noisy (line_noise).
make() {
  local name="$1" format="$2" voice="$3" speed="$4" lead="$5" line="$6"
  shift 6
  local rate out encoding output=()
  case "$format" in
    mulaw8k) rate=8000; encoding=mulaw; out="$name.wav"; output=(-b 8 -e mu-law "$out") ;;
    ulaw8k) rate=8000; encoding=mulaw; out="$name.ulaw"; output=(-b 8 -e mu-law -t raw "$out") ;;
    pcm16k) rate=16000; encoding=pcm16; out="$name.wav"; output=(-b 16 -e signed-integer "$out") ;;
    pcm44k) rate=44100; encoding=pcm16; out="$name.wav"; output=(-b 16 -e signed-integer "$out") ;;
    *) echo "unknown format: $format" >&2; exit 1 ;;
  esac
  speech "$name" "$rate" "$voice" "$speed" "$lead" "$@"
  line_noise "$line" "$rate" "$speech_samples" "$tmp/noise.wav"
  sox -R -m "$tmp/$name.speech.wav" "$tmp/noise.wav" -D -r "$rate" -c 1 "${output[@]}"
  transcript "$name" "$out" "$rate" "$encoding" 1 "$speech_samples"
}

# dual NAME CALLER_VOICE SPEED LEAD_S AGENT_VOICE "AGENT_AT_S|AGENT_TEXT" ... -- "PAUSE_AFTER_S|TEXT[|GAIN_DB]" ...
#   A Twilio-style dual-channel recording (8 kHz PCM16 WAV, two channels): the caller on the first channel over a
#   noisy line, and on the second the agent as the caller heard it (each line placed at its time).
dual() {
  local name="$1" voice="$2" speed="$3" lead="$4" agent_voice="$5"
  shift 5
  local agent=()
  while [[ "$1" != "--" ]]; do agent+=("$1"); shift; done
  shift
  speech "$name" 8000 "$voice" "$speed" "$lead" "$@"
  line_noise noisy 8000 "$speech_samples" "$tmp/noise.wav"
  sox -R -m "$tmp/$name.speech.wav" "$tmp/noise.wav" -D "$tmp/caller.wav"

  # The agent's channel: each line at its time over the same length; Twilio's far end is clean.
  local mix=() j=0
  for item in "${agent[@]}"; do
    local at="${item%%|*}" text="${item#*|}"
    j=$((j + 1))
    espeak-ng -v "$agent_voice" -s 170 -w "$tmp/agent$j.raw.wav" "$text"
    sox -R "$tmp/agent$j.raw.wav" -D -r 8000 -c 1 -b 16 -e signed-integer "$tmp/agent$j.wav" \
      silence 1 0.02 0.2% norm -6 pad "$at"
    mix+=("$tmp/agent$j.wav")
  done
  sox -R -r 8000 -c 1 -n -b 16 -e signed-integer "$tmp/agent-length.wav" trim 0 "${speech_samples}s"
  sox -R -m "$tmp/agent-length.wav" "${mix[@]}" -D "$tmp/agent.wav" trim 0 "${speech_samples}s"

  sox -R -M "$tmp/caller.wav" "$tmp/agent.wav" -D -r 8000 -b 16 -e signed-integer "$name.wav"
  transcript "$name" "$name.wav" 8000 pcm16 2 "$speech_samples"
}

# The agent greets first (about 3.5 s with the emulator's greeting), so most callers wait before speaking.
# customer-support: look up an order, refund, transfer to a human, barge-in (the first four, unchanged since the
# bridge issue; the end-to-end tests use them).
make order-status mulaw8k en-us 165 5.0 quiet \
  "6.0|Hi, I am calling about my order. It has not arrived yet." \
  "6.0|The order number is four five seven one two." \
  "1.0|Okay, thank you very much. Goodbye."

make refund-request pcm16k en-gb 170 4.0 quiet \
  "4.5|I would like a refund for a broken kettle." \
  "1.0|Yes, please go ahead."

make talk-to-human mulaw8k en-us+f3 170 5.0 quiet \
  "6.0|I want to speak to a real person, please." \
  "1.0|Yes. Please transfer me now."

# Barge-in: the caller talks over the greeting 1.5 s in, then waits for the answer.
make barge-in mulaw8k en-us+m3 175 1.5 quiet \
  "6.0|Sorry, I am in a bit of a hurry." \
  "1.0|Can you check my delivery, please?"

# customer-support, verification by PIN: a slow speaker on a noisy line who turns away from the phone for the PIN.
make verify-pin mulaw8k en-us+f2 140 4.0 noisy \
  "5.0|Hello, I need to check an order on my account." \
  "1.0|My PIN is four, seven, two, nine.|-10"

# customer-support, verification by postcode and last order: a fast Scottish speaker on a noisy line, getting closer.
make verify-postcode mulaw8k en-gb-scotland+m2 190 4.0 noisy \
  "5.0|Hi, where is my parcel?|-8" \
  "1.0|My postcode is E C one A, one B B, and my last order was a blue kettle."

# customer-support, schedule a callback: raw mu-law with no header, a New York voice, first far then near.
make schedule-callback ulaw8k en-us-nyc+m7 160 4.0 quiet \
  "5.0|I cannot talk long. Could someone call me back tomorrow morning?|-6" \
  "1.0|Around ten would be great. Thanks, bye."

# after-hours: an answer from the knowledge base, recorded at 44.1 kHz (kept short: 88 KB a second).
make after-hours-opening pcm44k en-029+f4 185 2.6 quiet \
  "0.3|When do you open tomorrow?"

# after-hours, a Twilio dual-channel recording of a whole call: the agent's greeting and answers on the second channel.
dual after-hours-returns-dual en-gb-x-rp+f2 180 3.4 en-us+f5 \
  "0.3|We are closed now. I can help with orders and returns." \
  "6.3|Return it within thirty days from your account page." \
  -- \
  "4.0|How do I return something I bought online?" \
  "0.6|Thanks, bye."
