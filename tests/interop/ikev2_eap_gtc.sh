#!/bin/bash
# IKEv2 + EAP-GTC (no MSK: both AUTH payloads use SK_p), IDi = keyid:ASA-IKEV2,
# EAP identity Anu, the seed's suite.  The gateway offers its EAP methods; the
# strongSwan client, configured for EAP-GTC only, NAKs the others.
# Passes when strongSwan sees the IKE SA ESTABLISHED, the CHILD_SA INSTALLED
# with a virtual IP from webvpn1, the gateway shows the session and a ping
# crosses the tunnel.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_eap_connect eap-gtc EAP-GTC "EAP method EAP_GTC succeeded, no MSK established"
