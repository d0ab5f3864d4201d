#!/usr/bin/env bash
# Builds the Kubernetes 1.20.2 control-plane binaries the integration tests (`-Pkube`) run on,
# offline, from Debian bookworm packages only:
#   - source:    Debian's `kubernetes` source package (1.20.5+really1.20.2)
#   - toolchain: Debian's golang-1.19-go / golang-1.19-src (GOPATH mode, CGO_ENABLED=0)
#   - patch:     vendored modern-go/reflect2 1.0.1 + json-iterator/go 1.1.10 replaced by Debian's
#                golang-github-modern-go-reflect2-dev / golang-github-json-iterator-go-dev
#                (reflect2 1.0.1 crashes the apiserver under Go 1.19 on the first custom-resource write)
#   - etcd:      Debian's etcd-server package
# Nothing is installed system-wide: a private apt configuration (own sources, lists and cache,
# deb + deb-src) is used with `apt-get download` / `apt-get source --download-only`, and packages
# are unpacked with `dpkg -x`. No root needed.
#
# Output: ${FC_KUBE_CACHE:-$HOME/.cache/fc-operator/kube-1.20.2}/bin with
#   etcd kube-apiserver kube-controller-manager kube-scheduler kubemark kubelet kube-proxy SHA256SUMS VERSIONS
# The directory is printed as the only line on stdout (progress goes to stderr), so
#   KUBE_BIN=$(.ci/kube-binaries.sh)
# works. Once built, a run only verifies SHA256SUMS (about 1 s).
#
# Environment:
#   FC_KUBE_CACHE       cache directory (default above)
#   FC_DEBIAN_MIRROR    Debian mirror (default: the machine's own, from its apt sources; .ci/lib/debian-mirror.sh)
#   FC_KUBE_KEEP_WORK=1 keep the 3.6 GB build tree in $FC_KUBE_CACHE/work after success
#   FC_KUBE_REBUILD=1   ignore the cached binaries and build again
set -Eeuo pipefail

CACHE=${FC_KUBE_CACHE:-$HOME/.cache/fc-operator/kube-1.20.2}
MIRROR=$("$(dirname "$0")/lib/debian-mirror.sh" | cut -d' ' -f1)
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
BIN=$CACHE/bin
WORK=$CACHE/work
LOG=$CACHE/build.log
K8S_UPSTREAM=1.20.2
# kubemark: the hollow node of -Pkube; kubelet and kube-proxy: the real node of -Prealnode (one make, shared packages)
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubemark kubelet kube-proxy)
DEBS=(golang-1.19-go golang-1.19-src etcd-server golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev)

say() { printf 'kube-binaries: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
on_err() {
  local rc=$? line=$1 cmd=$2
  ((BASH_SUBSHELL == 0)) || exit "$rc"
  say "ERROR: command failed (exit $rc) at line $line: $cmd"
  if [[ -s $LOG ]]; then say "last lines of $LOG:"; tail -n 40 "$LOG" >&2; fi
  say "build FAILED; cached binaries (if any) were left untouched"
  exit 1
}
trap 'on_err $LINENO "$BASH_COMMAND"' ERR

cached_ok() {
  local b
  for b in etcd "${BINARIES[@]}"; do grep -q "  $b\$" "$BIN/SHA256SUMS" 2>/dev/null || return 1; done
  (cd "$BIN" && sha256sum --quiet --strict -c SHA256SUMS >/dev/null 2>&1)
}

# ---- fast path -------------------------------------------------------------------------------
if [[ ${FC_KUBE_REBUILD:-0} != 1 ]] && cached_ok; then
  say "cached binaries verified (SHA256SUMS) in $BIN"
  echo "$BIN"
  exit 0
fi

if [[ -f $BIN/SHA256SUMS && ${FC_KUBE_REBUILD:-0} != 1 ]]; then
  say "cached binaries in $BIN do not match their SHA256SUMS: rebuilding"
fi

# ---- preconditions ---------------------------------------------------------------------------
for tool in apt-get dpkg dpkg-deb make tar patch sha256sum flock sed; do
  command -v "$tool" >/dev/null || die "required tool '$tool' not found (this script needs a Debian system)"
done
[[ -r $KEYRING ]] || die "$KEYRING missing (package debian-archive-keyring)"
ARCH=$(dpkg --print-architecture)
mkdir -p "$CACHE"

# one build at a time per cache directory (several worktrees may share it)
exec 9>"$CACHE/.lock"
flock -n 9 || { say "another build holds $CACHE/.lock, waiting for it..."; flock 9; }
if [[ ${FC_KUBE_REBUILD:-0} != 1 ]] && cached_ok; then
  say "built meanwhile by another process: $BIN"; echo "$BIN"; exit 0
fi

START=$(date +%s)
rm -rf "$WORK" "$BIN.new"
mkdir -p "$WORK"
: >"$LOG"
say "building Kubernetes $K8S_UPSTREAM ($ARCH) from Debian bookworm sources in $WORK (log: $LOG)"

# ---- private apt configuration -----------------------------------------------------------------
APTDIR=$WORK/apt
mkdir -p "$APTDIR/etc/sources.list.d" "$APTDIR/etc/preferences.d" "$APTDIR/state/lists/partial" \
  "$APTDIR/cache/archives/partial"
cat >"$APTDIR/etc/sources.list" <<EOF
deb [signed-by=$KEYRING] $MIRROR bookworm main
deb-src [signed-by=$KEYRING] $MIRROR bookworm main
EOF
: >"$APTDIR/state/status"
APT=(apt-get -q
  -o "Dir::Etc::SourceList=$APTDIR/etc/sources.list"
  -o "Dir::Etc::SourceParts=$APTDIR/etc/sources.list.d"
  -o "Dir::Etc::Preferences=$APTDIR/etc/preferences"
  -o "Dir::Etc::PreferencesParts=$APTDIR/etc/preferences.d"
  -o "Dir::State=$APTDIR/state"
  -o "Dir::State::status=$APTDIR/state/status"
  -o "Dir::Cache=$APTDIR/cache"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=$(id -un)"
  -o "APT::Architecture=$ARCH")

say "apt-get update (private lists: $MIRROR bookworm main, deb + deb-src)"
"${APT[@]}" update --error-on=any >>"$LOG" 2>&1 ||
  die "apt-get update could not fetch the bookworm indexes from $MIRROR (see $LOG; set FC_DEBIAN_MIRROR?)"
compgen -G "$APTDIR/state/lists/*_Sources*" >/dev/null || die "no deb-src index fetched from $MIRROR (see $LOG)"

say "downloading source package kubernetes and ${DEBS[*]}"
mkdir -p "$WORK/src" "$WORK/debs" "$WORK/root"
(cd "$WORK/src" && "${APT[@]}" source --download-only kubernetes >>"$LOG" 2>&1)
(cd "$WORK/debs" && "${APT[@]}" download "${DEBS[@]}" >>"$LOG" 2>&1)

DSC=$(ls "$WORK"/src/kubernetes_*.dsc)
SRC_VERSION=$(sed -n 's/^Version: //p' "$DSC")
[[ $SRC_VERSION == *really$K8S_UPSTREAM-* ]] ||
  die "Debian's kubernetes source is $SRC_VERSION, expected upstream $K8S_UPSTREAM (bookworm changed?)"

# ---- unpack ----------------------------------------------------------------------------------
say "unpacking kubernetes $SRC_VERSION"
K8S=$WORK/kubernetes
if command -v dpkg-source >/dev/null; then
  (cd "$WORK/src" && dpkg-source -x "$DSC" "$K8S" >>"$LOG" 2>&1)
else
  # same as dpkg-source for this 3.0 (quilt) package; apt already verified the files' checksums
  mkdir -p "$K8S"
  tar -xzf "$WORK"/src/kubernetes_*.orig.tar.gz -C "$K8S" --strip-components=1
  tar -xJf "$WORK"/src/kubernetes_*.debian.tar.xz -C "$K8S"
  while read -r p; do
    [[ -z $p || $p == \#* ]] && continue
    patch -d "$K8S" -p1 --batch <"$K8S/debian/patches/$p" >>"$LOG" 2>&1
  done <"$K8S/debian/patches/series"
fi
for deb in "$WORK"/debs/*.deb; do dpkg -x "$deb" "$WORK/root"; done

GOROOT=$WORK/root/usr/lib/go-1.19
[[ -x $GOROOT/bin/go && -d $GOROOT/src/runtime ]] || die "Go 1.19 toolchain not usable at $GOROOT"
GOCODE=$WORK/root/usr/share/gocode/src

# ---- patch vendored reflect2 / json-iterator -------------------------------------------------------
say "replacing vendored modern-go/reflect2 and json-iterator/go with Debian's (Go 1.19 fix)"
for pkg in github.com/modern-go/reflect2 github.com/json-iterator/go; do
  [[ -d $GOCODE/$pkg ]] || die "$pkg missing from the Debian -dev package"
  rm -rf "${K8S:?}/vendor/$pkg"
  cp -a "$GOCODE/$pkg" "$K8S/vendor/$pkg"
  find "$K8S/vendor/$pkg" -name '*_test.go' -delete
done

# ---- build -------------------------------------------------------------------------------------
WHAT=""
for b in "${BINARIES[@]}"; do WHAT+=" cmd/$b"; done
say "go build (GOPATH mode, CGO_ENABLED=0):$WHAT -- takes about 10 minutes on 2 cores"
mkdir -p "$WORK/home" "$WORK/shims"
if ! command -v rsync >/dev/null; then
  # the build only runs `rsync -pc <file> <dir>` (hack/lib/golang.sh, placing binaries)
  cat >"$WORK/shims/rsync" <<'EOF'
#!/bin/sh
[ "$1" = "-pc" ] && [ $# -eq 3 ] || { echo "rsync shim: unsupported arguments: $*" >&2; exit 2; }
exec cp -p "$2" "$3"
EOF
  chmod +x "$WORK/shims/rsync"
fi
(
  cd "$K8S"
  unset GOFLAGS GOPATH GOBIN GO111MODULE KUBE_GIT_VERSION_FILE
  # kubelet and kubemark are not in Kubernetes' static list: without the override they get a second
  # `go install` that compiles their shared packages again
  export GOROOT PATH="$GOROOT/bin:$WORK/shims:$PATH" CGO_ENABLED=0 HOME="$WORK/home" GOCACHE="$WORK/gocache" \
    GOTOOLCHAIN=local GOPROXY=off KUBE_STATIC_OVERRIDES="kubemark kubelet"
  make WHAT="${WHAT# }" >>"$LOG" 2>&1
)

# ---- collect -----------------------------------------------------------------------------------
mkdir -p "$BIN.new"
for b in "${BINARIES[@]}"; do
  src=$(ls "$K8S"/_output/local/bin/*/*/"$b" 2>/dev/null | head -n1 || true)
  [[ -n $src && -x $src ]] || die "$b was not built (see $LOG)"
  cp "$src" "$BIN.new/$b"
done
cp "$WORK/root/usr/bin/etcd" "$BIN.new/etcd"
chmod 0755 "$BIN.new"/*
"$BIN.new/kube-apiserver" --version >>"$LOG" 2>&1
"$BIN.new/kube-apiserver" --version | grep -q "v$K8S_UPSTREAM" ||
  die "kube-apiserver reports '$("$BIN.new/kube-apiserver" --version)', expected v$K8S_UPSTREAM"
{
  echo "kubernetes source: $SRC_VERSION (Debian bookworm)"
  for deb in "$WORK"/debs/*.deb; do dpkg-deb -f "$deb" Package Version | paste -sd' '; done
  echo "kube-apiserver --version: $("$BIN.new/kube-apiserver" --version)"
  echo "etcd --version: $("$BIN.new/etcd" --version | head -n1)"
  echo "built: $(date -u +%FT%TZ) in $(($(date +%s) - START)) s"
} >"$BIN.new/VERSIONS"
(cd "$BIN.new" && sha256sum etcd "${BINARIES[@]}" VERSIONS >SHA256SUMS)
rm -rf "$BIN"
mv "$BIN.new" "$BIN"

if [[ ${FC_KUBE_KEEP_WORK:-0} != 1 ]]; then rm -rf "$WORK"; fi
say "done in $(($(date +%s) - START)) s: $(du -sh "$BIN" | cut -f1) in $BIN"
echo "$BIN"
