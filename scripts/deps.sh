#!/bin/sh
# Installs the Debian packages a target needs, only those missing.
#   scripts/deps.sh build|check|demo
set -e
build="gcc meson ninja-build pkg-config libssl-dev"
check="$build clang libclang-rt-14-dev iproute2 iputils-ping nftables procps psmisc
  strongswan-charon strongswan-swanctl strongswan-pki libstrongswan-standard-plugins
  libcharon-extra-plugins libcharon-extauth-plugins vpnc vpnc-scripts iperf3 tshark"
demo="$check"
case "$1" in
  build) want=$build ;;
  check) want=$check ;;
  demo) want=$demo ;;
  *) echo "usage: $0 build|check|demo" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends: strongSwan's recommends pull a kernel and systemd.
apt-get install -y -qq --no-install-recommends $missing
