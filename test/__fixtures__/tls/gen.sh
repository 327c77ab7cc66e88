#!/usr/bin/env bash
# Test-only TLS material for test/source/faults-tls.test.ts (keys are throwaway, never used elsewhere).
# Regenerate: bash gen.sh (OpenSSL 3). Valid certificates last 100 years; expired.crt ended in 2020.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key ca.key; key other-ca.key; key server.key
openssl req -x509 -new -key ca.key -subj /CN=podscope-test-ca -days 36500 -out ca.crt
openssl req -x509 -new -key other-ca.key -subj /CN=some-other-ca -days 36500 -out other-ca.crt
openssl req -new -key server.key -subj /CN=127.0.0.1 -out "$work/srv.csr"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$work/ok.ext"
printf 'subjectAltName=DNS:api.elsewhere.example\n' > "$work/wrong.ext"
openssl x509 -req -in "$work/srv.csr" -CA ca.crt -CAkey ca.key -set_serial 2 -days 36500 -extfile "$work/ok.ext" -out server.crt 2>/dev/null
openssl x509 -req -in "$work/srv.csr" -CA ca.crt -CAkey ca.key -set_serial 3 -days 36500 -extfile "$work/wrong.ext" -out wrong-host.crt 2>/dev/null
# An expired certificate needs explicit dates: openssl ca takes them.
touch "$work/index.txt"; echo 04 > "$work/serial"
cat > "$work/ca.cnf" <<CNF
[ ca ]
default_ca = d
[ d ]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = p
copy_extensions = none
[ p ]
commonName = supplied
CNF
openssl ca -batch -config "$work/ca.cnf" -cert ca.crt -keyfile ca.key -in "$work/srv.csr" -notext \
  -startdate 20200101000000Z -enddate 20200201000000Z -extfile "$work/ok.ext" -out expired.crt 2>/dev/null
rm -f ca.key other-ca.key
