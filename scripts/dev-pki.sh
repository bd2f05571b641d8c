#!/usr/bin/env bash
# Writes a development PKI into DIR: a CA, the agent's server certificate (CN and SAN DNS = the
# amphora id, as the Octavia client checks), and a controller client certificate.
#
#   scripts/dev-pki.sh DIR AMPHORA_ID
#
# DIR/ca.pem (+ ca.key)       the CA; it signs both sides (agent_server_ca = ca.pem)
# DIR/server.pem              agent certificate + key in one file (agent_server_cert)
# DIR/client.pem              controller certificate + key in one file (what Octavia's client uses)
# DIR/client.crt, client.key  the same, split (for curl)
set -euo pipefail
dir=${1:?usage: dev-pki.sh DIR AMPHORA_ID}
amp=${2:?usage: dev-pki.sh DIR AMPHORA_ID}
mkdir -p "$dir"
cd "$dir"
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
  -subj "/CN=amphora-agent-dev-ca" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=$amp" 2>/dev/null
printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$amp" > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.crt -days 30 \
  -extfile server.ext 2>/dev/null
cat server.crt server.key > server.pem
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=octavia-controller" 2>/dev/null
printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' > client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.crt -days 30 \
  -extfile client.ext 2>/dev/null
cat client.crt client.key > client.pem
rm -f server.csr client.csr server.ext client.ext
chmod 0644 ca.pem
echo "dev-pki: wrote CA, server (CN/SAN DNS=$amp) and client certificates to $(pwd)"
