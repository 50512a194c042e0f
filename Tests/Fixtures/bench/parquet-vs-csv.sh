#!/usr/bin/env bash
# Builds the Parquet vs CSV benchmark (the codecs sources plus main.swift, -O) and runs it:
#   Tests/Fixtures/bench/parquet-vs-csv.sh [ROWS] [OUTPUT_DIR]
# Prints a Markdown table: seconds, bytes and peak RSS for CSV and Parquet (gzip 6, gzip 1,
# uncompressed). Output files stay in OUTPUT_DIR (default /tmp/onegrid-bench) for read-back.
set -euo pipefail
cd "$(dirname "$0")/../../.."
bin=$(mktemp -d)/parquet-bench
swiftc -O -wmo -module-name ParquetBench -I Sources/CZlib \
  Sources/OneGridCodecs/*.swift Tests/Fixtures/bench/main.swift -o "$bin"
"$bin" "${1:-1000000}" "${2:-/tmp/onegrid-bench}"
