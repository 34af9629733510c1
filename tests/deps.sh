#!/bin/bash
# Install the Debian packages that building and testing natkeep need.
# Idempotent and silent when nothing is missing; needs root otherwise.
set -euo pipefail

packages=(
	# build: module (against Debian's headers) and userspace
	build-essential pkg-config libmnl-dev linux-headers-amd64
	# natkeepd: SIP stack, address/route monitoring
	libsofia-sip-ua-dev libnl-route-3-dev
	# KUnit: a User-Mode-Linux kernel built from Debian's source
	linux-source-6.1 flex bison bc libelf-dev libssl-dev python3 python3-yaml
	xz-utils
	# VM tier: Debian's kernel under qemu, busybox initramfs, the test peers
	linux-image-amd64 qemu-system-x86 busybox-static cpio kmod iproute2
	# the arm64 tier (tests/vm/arm64.sh): Debian's arm64 kernel under qemu
	qemu-system-arm
	# kernels tier (tests/vm/kernels.sh): Debian 12's other kernels, 6.12
	# and 6.12 PREEMPT_RT, to build for and boot
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	linux-image-6.12-rt-amd64 linux-headers-6.12-rt-amd64
	nftables conntrack util-linux procps socat
	# fuzzing the protocol code (libFuzzer)
	clang libclang-rt-14-dev
	# VM peers: STUN server, SIP registrar and UAS, capture and dissection
	coturn kamailio sip-tester tshark
	# VM peers for natkeepd: DNS SRV/A records, and dig to check them
	dnsmasq-base bind9-dnsutils
	# make bench (and its smoke in make check): CPU and network load
	stress-ng iperf3
	# make bench part 5: the SIP agent natkeepd is compared with
	baresip-core
	# cross tier (tests/cross/build.sh): the gateways' other architectures,
	# their programs run under qemu-user
	gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-mipsel-linux-gnu
	# and s390x, Debian's big-endian one
	gcc-s390x-linux-gnu
	# their C libraries (only recommended by the compilers)
	libc6-dev-arm64-cross libc6-dev-armhf-cross libc6-dev-mipsel-cross
	libc6-dev-s390x-cross
	qemu-user-static
	# and musl, OpenWrt's C library
	musl-tools
	# packaging
	dkms debhelper dh-dkms
	# the packages tier: the VM's DKMS builds reuse the host's compilations
	ccache
	# checks of the packages: lintian, systemd-analyze for the unit
	lintian systemd
	# the lint tier: the module, shell and Python
	sparse shellcheck python3-pyflakes
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}; run 'make deps' as root" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Package lists on a fresh machine may be empty or stale.
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The test peers run only inside the VM's namespaces: not as host services.
if [ -d /run/systemd/system ]; then
	systemctl disable --now coturn kamailio >/dev/null 2>&1 || true
fi
