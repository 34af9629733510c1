#!/bin/sh
# /init of the natkeep test VM (busybox sh; installed by mkinitramfs.sh).
#
# Stage 1 (PID 1 in the initramfs): load the virtio/9p modules, mount the
# host's root read-only over 9p at /newroot, give it writable tmpfs/overlay
# dirs, move proc/sys/dev into it and switch_root (not chroot: a chrooted
# process may not create user namespaces, and `ip netns exec` / unshare
# behave as on a real system this way).
# Stage 2 (PID 1 in the host root): run the job script that run.sh wrote,
# with its output on ttyS1 (run.sh's stdout) while the kernel console stays
# on ttyS0; print NATKEEP_VM_EXIT=<rc> on the console and power off.
#
# Kernel command line: natkeep.job=<path of the job script>;
# optionally natkeep.modules=<host path of a lib/modules dir> (bind-mounted
# on /lib/modules), natkeep.mounts=TAG:PATH[,TAG:PATH...] (more 9p shares,
# each mounted at PATH with a tmpfs overlay: run.sh -a shares the working
# directory and the job's directory this way, the root being another
# architecture's) and natkeep.out=TTY (the job's output, default ttyS1).
# With natkeep.systemd (run.sh -S) the whole root is writable (a tmpfs
# overlay over it: packages can be installed) and systemd is PID 1 in
# stage 2; the job runs as its unit natkeep-vm-job.service.

BB=/bin/busybox
STATE=/run/natkeep-vm

# Report an error on the console and power off; run.sh sees no exit marker.
die() {
	echo "NATKEEP_VM_INIT_ERROR: $*" >/dev/console
	$BB sleep 1
	$BB poweroff -f
	exit 1
}

# With natkeep.debug on the kernel command line: time stamps of the steps.
step() {
	case " $($BB cat /proc/cmdline) " in
	*" natkeep.debug "*) echo "natkeep-vm: $($BB cut -d' ' -f1 /proc/uptime) $*" >/dev/console ;;
	esac
}

cmdline_arg() {
	for arg in $($BB cat /proc/cmdline); do
		case $arg in "$1="*) echo "${arg#*=}" ;; esac
	done
}

stage1() {
	PATH=/bin
	$BB mount -t proc -o nosuid,nodev,noexec proc /proc
	$BB mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
	$BB mount -t devtmpfs -o nosuid,mode=0755 devtmpfs /dev
	exec </dev/null >/dev/console 2>&1

	step "stage 1"
	for m in $($BB cat /lib/natkeep-modules/order); do
		$BB insmod "/lib/natkeep-modules/$m.ko" || die "insmod $m failed"
	done

	# cache=loose: the host root does not change under a test run and it
	# makes path walks (bash, python imports, modprobe) much cheaper.
	systemd=0
	case " $($BB cat /proc/cmdline) " in *" natkeep.systemd "*) systemd=1 ;; esac
	root=/newroot
	[ $systemd = 1 ] && root=/lower
	$BB mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose host $root ||
		die "cannot mount the host root over 9p (mount_tag host)"
	$BB mount -t tmpfs -o mode=0755 tmpfs /rw || die "tmpfs /rw"
	if [ $systemd = 1 ]; then
		$BB mkdir -p /rw/root.upper /rw/root.work
		$BB mount -t overlay -o lowerdir=/lower,upperdir=/rw/root.upper,workdir=/rw/root.work \
			overlay /newroot || die "cannot overlay the root"
	fi

	step "9p mounted"

	# /run: fresh and writable (ip netns add needs /run/netns); also holds
	# our job, this script and busybox for stage 2.
	$BB mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /newroot/run || die "tmpfs /run"
	$BB mkdir -p /newroot$STATE
	$BB cp /init /newroot$STATE/init
	$BB cp $BB /newroot$STATE/busybox

	# Writable dirs.  Where the host content matters (cwd under /tmp,
	# /root's dotfiles, /var/lib state of tools) use an overlay with a tmpfs
	# upper layer; otherwise a plain tmpfs.  /etc stays read-only (with
	# natkeep.systemd the whole root is an overlay already).
	have_overlay=1
	$BB grep -qw overlay /proc/filesystems || have_overlay=0
	dirs="tmp root var/lib var/log var/cache var/spool"
	[ $systemd = 1 ] && dirs=
	for d in $dirs; do
		[ -d "/newroot/$d" ] || continue
		if [ $have_overlay = 1 ]; then
			u=/rw/$(echo "$d" | $BB tr / _)
			$BB mkdir -p "$u/upper" "$u/work"
			# The overlay's root takes the upper dir's owner and mode.
			$BB chmod "$($BB stat -c %a "/newroot/$d")" "$u/upper"
			$BB chown "$($BB stat -c %u:%g "/newroot/$d")" "$u/upper"
			$BB mount -t overlay -o "lowerdir=/newroot/$d,upperdir=$u/upper,workdir=$u/work" \
				overlay "/newroot/$d" && continue
			echo "natkeep-vm: overlay on /$d failed, using an empty tmpfs" >/dev/console
		fi
		$BB mount -t tmpfs -o "mode=$($BB stat -c %a "/newroot/$d")" tmpfs "/newroot/$d" ||
			die "tmpfs /$d"
	done
	[ -d /newroot/var/tmp ] && $BB mount -t tmpfs -o mode=1777 tmpfs /newroot/var/tmp

	# More shares, writable as the host root's dirs are: through an overlay.
	n=0
	for m in $(cmdline_arg natkeep.mounts | $BB tr , ' '); do
		tag=${m%%:*} path=${m#*:} n=$((n + 1))
		lower=/rw/share$n
		$BB mkdir -p "$lower" "$lower.upper" "$lower.work" "/newroot$path" ||
			die "natkeep.mounts: cannot make $path"
		$BB mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose "$tag" "$lower" ||
			die "natkeep.mounts: cannot mount the 9p share $tag"
		$BB mount -t overlay -o "lowerdir=$lower,upperdir=$lower.upper,workdir=$lower.work" \
			overlay "/newroot$path" || die "natkeep.mounts: cannot overlay $path"
	done

	job=$(cmdline_arg natkeep.job)
	[ -n "$job" ] || die "no natkeep.job= on the kernel command line"
	[ -f "/newroot$job" ] || die "job script $job not found on the root or a share"
	$BB cp "/newroot$job" /newroot$STATE/job.sh || die "cannot copy the job script"
	out=$(cmdline_arg natkeep.out)
	echo "${out:-ttyS1}" >/newroot$STATE/out

	# A kernel not from a Debian package (run.sh -D: the debug kernel) has
	# its lib/modules tree elsewhere on the host: it replaces /lib/modules.
	mods=$(cmdline_arg natkeep.modules)
	if [ -n "$mods" ]; then
		[ -d "/newroot$mods/$($BB uname -r)" ] ||
			die "natkeep.modules=$mods has no $($BB uname -r) directory"
		$BB mount -o bind "/newroot$mods" /newroot/lib/modules ||
			die "cannot bind-mount $mods on /lib/modules"
	fi

	step "writable dirs ready"
	for d in proc sys dev; do
		$BB mount -o move "/$d" "/newroot/$d" || die "cannot move /$d"
	done
	$BB mkdir -p /newroot/dev/pts /newroot/dev/shm
	$BB mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts /newroot/dev/pts
	$BB mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /newroot/dev/shm
	# devtmpfs lacks these; bash process substitution needs /dev/fd.
	$BB ln -sf /proc/self/fd /newroot/dev/fd
	$BB ln -sf /proc/self/fd/0 /newroot/dev/stdin
	$BB ln -sf /proc/self/fd/1 /newroot/dev/stdout
	$BB ln -sf /proc/self/fd/2 /newroot/dev/stderr
	$BB mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /newroot/sys/fs/cgroup 2>/dev/null

	if [ $systemd = 1 ]; then
		$BB cat >/newroot/etc/systemd/system/natkeep-vm-job.service <<-EOF
			[Unit]
			Description=natkeep VM job
			Wants=basic.target
			After=basic.target
			[Service]
			Type=oneshot
			ExecStart=$STATE/busybox sh $STATE/init job
		EOF
		# /tmp holds the working directory: not emptied at boot.
		echo "d /tmp 1777 root root -" >/newroot/etc/tmpfiles.d/tmp.conf
		# No first-boot questions, no status lines among the job's.
		exec $BB switch_root /newroot /lib/systemd/systemd \
			systemd.unit=natkeep-vm-job.service systemd.firstboot=off \
			systemd.show_status=false
	fi
	# shellcheck disable=SC2093 # exec returns only if switch_root failed
	exec $BB switch_root /newroot $STATE/busybox sh $STATE/init stage2
	die "switch_root failed"
}

stage2() {
	BB=$STATE/busybox
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	step "stage 2"
	$BB hostname natkeep-vm
	$BB ip link set lo up
	job
}

# The job, its output on natkeep.out's tty, then the exit marker and the
# power off: from stage 2, or as systemd's unit.
job() {
	BB=$STATE/busybox
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	# raw: no \n -> \r\n translation, the bytes reach run.sh's stdout as is.
	# Held open on fd 3 throughout: a virtio console (hvc) resets its
	# settings at its last close.
	out=/dev/$($BB cat $STATE/out)
	# (A failed redirection of exec ends the shell: test first.)
	[ -c "$out" ] || die "no $out (the job's output)"
	exec 3>"$out"
	$BB stty -F "$out" raw -echo || die "cannot set $out raw"
	echo "natkeep-vm: running job, uptime $($BB cut -d' ' -f1 /proc/uptime) s" >/dev/console

	# A clean, predictable environment; the caller adds variables with
	# `env VAR=value cmd`.  stdout is a tty, so switch off pagers
	# and colours.
	/usr/bin/env -i PATH="$PATH" HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
		TERM=dumb LANG=C.UTF-8 PAGER=cat GIT_PAGER=cat SYSTEMD_PAGER= NO_COLOR=1 \
		/bin/bash $STATE/job.sh </dev/null >&3 2>&3 3>&-
	rc=$?
	step "job done"
	# stty sets the line with TCSADRAIN: waits until every byte of the job's
	# output left the UART even if a leftover daemon still holds the tty.
	$BB stty -F "$out" raw -echo
	echo "NATKEEP_VM_EXIT=$rc" >/dev/console
	$BB poweroff -f
}

case ${1:-} in
stage2) stage2 ;;
job) job ;;
*) stage1 ;;
esac
