#!/bin/bash
# IKEv2 + EAP-MSCHAPv2, the AnyConnect way (IDi = keyid:ASA-IKEV2, EAP
# identity Anu), the seed's suite (IKE AES-192/SHA-1/MODP-1024, ESP AES-256/SHA-1);
# the final AUTH payloads are keyed with the MSK.
# Passes when strongSwan sees the IKE SA ESTABLISHED, the CHILD_SA INSTALLED
# with a virtual IP from webvpn1 (10.2.2.1-10.2.2.10), the gateway shows the
# session and a ping crosses the tunnel.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"   # `sh script` works too
set -eu
d=$(cd "$(dirname "$0")" && pwd)
while [ ! -f "$d/tests/lab/lib.sh" ]; do [ "$d" != / ] || exit 1; d=$(dirname "$d"); done
. "$d/tests/lab/lib.sh"

lab_eap_connect eap-mschapv2 EAP-MSCHAPv2 "authentication of 'keyid:ASA-IKEV2' with EAP successful|EAP method EAP_MSCHAPV2 succeeded"
