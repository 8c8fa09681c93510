#!/usr/bin/env bash
# Regenerates the emulator's reply clips from clips.txt with espeak-ng and sox:
#   <id>.wav       24 kHz mono PCM16, leading/trailing silence trimmed, peak-normalised to -3 dBFS
#   manifest.json  [{ "id", "file", "text", "durationMs" }] in clips.txt order (the emulator's output
#                  transcription is the clip's text, so text and audio must come from the same line)
# Usage: src/GeminiLiveEmulator/clips/make-clips.sh   (needs espeak-ng and sox: apt-get install espeak-ng sox)
set -euo pipefail
cd "$(dirname "$0")"

voice="${ESPEAK_VOICE:-en-us}"
speed="${ESPEAK_SPEED:-170}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

entries=()
while IFS='|' read -r id text; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  espeak-ng -v "$voice" -s "$speed" -w "$tmp/$id.wav" "$text"
  # Trim silence at both ends (the emulator's playback clock should match the speech), then 24 kHz mono 16-bit.
  # -R (repeatable) and -D (no dither) make the output byte-identical on every run.
  sox -R "$tmp/$id.wav" -D -r 24000 -c 1 -b 16 -e signed-integer "$id.wav" \
    silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse pad 0.04 0.04 norm -3
  samples="$(soxi -s "$id.wav")"
  duration_ms=$(( samples * 1000 / 24000 ))
  escaped="${text//\\/\\\\}"
  escaped="${escaped//\"/\\\"}"
  entries+=("  { \"id\": \"$id\", \"file\": \"$id.wav\", \"text\": \"$escaped\", \"durationMs\": $duration_ms }")
done < clips.txt

{
  echo "["
  for i in "${!entries[@]}"; do
    if (( i < ${#entries[@]} - 1 )); then echo "${entries[$i]},"; else echo "${entries[$i]}"; fi
  done
  echo "]"
} > manifest.json

total=$(cat ./*.wav | wc -c)
echo "wrote ${#entries[@]} clips, $total bytes of WAV"
