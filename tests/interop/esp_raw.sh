#!/bin/bash
# The ESP data plane with fixed keys between two namespaces: raw ESP and
# UDP encapsulation, GCM and CBC+SHA1, ping/TCP/spoofing checks.  The test
# itself lives with its helper program in tests/lab/esp_raw/.
exec bash "$(dirname "$0")/../lab/esp_raw/run.sh" "$@"
