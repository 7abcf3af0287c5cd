#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds and tests with (with sudo when not root);
# does nothing when they are all installed.
# Usage: scripts/install-deps.sh [--help]
set -euo pipefail
if [[ ${1:-} == --help || ${1:-} == -h ]]; then
  sed -n '2,4s/^# \{0,1\}//p' "$0"
  exit 0
elif (($#)); then
  echo "usage: $0 [--help]" >&2
  exit 2
fi
pkgs=(cmake ninja-build g++ clang-14 libclang-rt-14-dev pkg-config
      libcli11-dev libfmt-dev libboost-dev libboost-system-dev libcereal-dev rapidjson-dev
      librocksdb-dev catch2 libsecp256k1-dev libssl-dev zlib1g-dev
      libpcap-dev tshark
      dpkg-dev file systemd  # the Debian package: dpkg-shlibdeps and file for cpack, systemd-analyze and systemd-sysusers for its test
      jq  # jq: the man pages' examples pipe JSON through it, and CI runs them
      iproute2)  # ip netns, veth and bridges: scripts/chaos.sh
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm run the BLS oracle test (@noble/curves). Debian's packages, unless the machine
# already has both commands (a nodejs from elsewhere bundles its own npm and conflicts with Debian's).
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  # tshark asks whether non-root users may capture; the tests only read files.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
