#!/usr/bin/env bash
# A self-signed certificate for a test or an intranet install: tls/cert.pem and tls/key.pem.
# Browsers warn about it; for a real install use your office's certificate (same file names).
#   ./make-cert.sh rejestr.gmina.example.pl
set -euo pipefail
cd "$(dirname "$0")"
name="${1:-localhost}"
mkdir -p tls
openssl req -x509 -newkey rsa:3072 -sha256 -days 825 -nodes \
    -keyout tls/key.pem -out tls/cert.pem \
    -subj "/CN=${name}" \
    -addext "subjectAltName=DNS:${name},DNS:localhost,IP:127.0.0.1"
chmod 0644 tls/cert.pem
chmod 0640 tls/key.pem
echo "tls/cert.pem and tls/key.pem for ${name}"
