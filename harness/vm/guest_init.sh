#!/bin/busybox sh
# xdplab guest: mount what the harness needs, run it, send the results on
# ttyS1 as a checksummed block, power off. A guest that dies before the block
# is written is reported as an error by the host. Built into the harness
# (CMakeLists.txt) and written as /init of every guest's initramfs; the
# harness's arguments come in /xdplab/args, one per line.
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t tracefs tracefs /sys/kernel/tracing || mount -t debugfs debugfs /sys/kernel/debug
mount -t bpf bpf /sys/fs/bpf
stty -F /dev/ttyS1 raw -echo 2>/dev/null
if grep -q xdplab.probe /proc/cmdline; then echo XDPLAB-PROBE-OK > /dev/ttyS1; poweroff -f; fi
# veth (and clsact, cls_bpf for tc programs) are modules in Debian's images;
# the initramfs carries those the kernel has as modules.
for m in veth sch_ingress cls_bpf; do
  if [ -f /lib/modules/$m.ko ]; then insmod /lib/modules/$m.ko || echo "guest: insmod $m failed"; fi
done
echo "guest: kernel $(uname -r) $(uname -v)"
# Options that depend on how the guest is run (its timing, scaled to the
# accelerator) come on the kernel command line: one initramfs serves every
# accelerator.
extra=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^xdplab.args=//p' | tr ',' ' ')
set --
if [ -f /xdplab/args ]; then
  while IFS= read -r arg; do set -- "$@" "$arg"; done < /xdplab/args
fi
# $extra is split into words on purpose: "--settle-ms 300 --timeout-ms 9000".
/xdplab/xdplab --expectations /xdplab/experiments --json /tmp/results.json $extra "$@"
rc=$?
echo "guest: xdplab exit $rc"
if [ -f /tmp/results.json ]; then
  # gzip: every byte through the emulated UART costs, and JSON shrinks tenfold.
  { echo "XDPLAB-RESULTS-BEGIN $(sha256sum /tmp/results.json | cut -d' ' -f1) $rc gzip";
    gzip -c /tmp/results.json | base64; echo XDPLAB-RESULTS-END; } > /dev/ttyS1
fi
sync
poweroff -f
