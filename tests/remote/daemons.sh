#!/usr/bin/env bash
# Starts (or stops) the real daemons the remote-run tests talk to, all on loopback and all
# kept inside one state folder: an OpenSSH server that accepts one generated key, and a
# one-node Slurm cluster (munged, slurmctld, slurmd). Nothing under /etc is touched, no
# system service is started, and `stop` ends every process `start` began.
#
#   daemons.sh start DIR   writes DIR/remote.env (the launcher prefixes the tests use)
#   daemons.sh stop DIR
#
# remote.env holds shell-free KEY=VALUE lines:
#   SSH_PREFIX    ssh ... 127.0.0.1          (a launcher prefix that logs in with the key)
#   SSH_BADKEY    ssh ... with a key the server does not accept
#   SSH_CLOSED    ssh ... to a loopback port nobody listens on
#   SRUN_PREFIX   env SLURM_CONF=... srun ...
#   SLURM_CONF    the generated slurm.conf (for scancel/squeue in tests)
#   SLURM_NODES   CPUs of the one node (how many tasks fit at once)
# When a daemon cannot be started (not installed, no root for slurmd) the line
# SKIP=<reason> is written instead and start still succeeds, so that a developer machine
# without them skips those tests with the reason; CI installs them and gets no SKIP.
set -uo pipefail

cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

# Root for what needs it: slurmd starts jobs as their owner. Without root, sudo -n.
as_root=""
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root="sudo -n"; fi

stop_pidfile() {
  local f=$1
  [[ -s "$f" ]] || return 0
  local pid
  pid=$(cat "$f")
  if $as_root kill -0 "$pid" 2>/dev/null; then
    $as_root kill "$pid" 2>/dev/null
    for _ in $(seq 50); do $as_root kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    $as_root kill -9 "$pid" 2>/dev/null
  fi
  $as_root rm -f "$f"
}

if [[ "$cmd" == stop ]]; then
  for f in slurmd slurmctld munged sshd; do stop_pidfile "$dir/$f.pid"; done
  exit 0
fi
[[ "$cmd" == start ]] || { echo "daemons.sh: unknown command $cmd" >&2; exit 2; }

mkdir -p "$dir"
chmod 700 "$dir"
dir=$(cd "$dir" && pwd)
env_file="$dir/remote.env"
: > "$env_file"

skip() {
  echo "SKIP=$*" >> "$env_file"
  echo "daemons.sh: $*" >&2
  exit 0
}

# A loopback TCP port with nothing listening on it (bash's /dev/tcp: connecting fails).
free_port() {
  local p
  for _ in $(seq 200); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# Waits until a loopback port accepts connections (the daemon is up) or fails after ~10 s.
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

for tool in /usr/sbin/sshd ssh ssh-keygen munged /usr/sbin/mungekey slurmctld slurmd srun scontrol; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh installs it)"
done

# --- OpenSSH ---------------------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key" <<<y >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key" <<<y >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$dir/stranger_key" <<<y >/dev/null
cp "$dir/client_key.pub" "$dir/authorized_keys"
chmod 600 "$dir/authorized_keys"
ssh_port=$(free_port) || skip "no free loopback port for sshd"
cat > "$dir/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $ssh_port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
# The tests' runner needs the environment the test process had (library, Qt platform).
PermitUserEnvironment no
AcceptEnv PAPERLAB_* QT_*
EOF
# Privilege separation needs this folder when sshd starts as root.
[[ $(id -u) -eq 0 ]] && mkdir -p /run/sshd
/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" || skip "sshd did not start (see $dir/sshd.log)"
wait_port "$ssh_port" || skip "sshd is not listening on 127.0.0.1:$ssh_port (see $dir/sshd.log)"
closed_port=$(free_port)
ssh_common="ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=$dir/known_hosts -o LogLevel=ERROR -o ConnectTimeout=5"
{
  echo "SSH_PREFIX=$ssh_common -p $ssh_port -i $dir/client_key 127.0.0.1"
  echo "SSH_BADKEY=$ssh_common -o IdentitiesOnly=yes -p $ssh_port -i $dir/stranger_key 127.0.0.1"
  echo "SSH_CLOSED=$ssh_common -p $closed_port -i $dir/client_key 127.0.0.1"
} >> "$env_file"

# --- munge + Slurm ---------------------------------------------------------------------
# slurmd launches jobs as their owner, which needs root; without it only ssh is tested.
[[ $(id -u) -eq 0 || -n "$as_root" ]] || skip "slurmd needs root (or sudo -n) to start jobs (ssh tests still run)"
mkdir -p "$dir/munge" "$dir/slurm/state" "$dir/slurm/spool"
chmod 700 "$dir/munge"
/usr/sbin/mungekey -c -k "$dir/munge/munge.key" 2>/dev/null || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$dir/munge/munge.key"
$as_root munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/seed" \
  || skip "munged did not start (see $dir/munge/munged.log)"

ctld_port=$(free_port)
slurmd_port=$(free_port)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
cat > "$dir/slurm/slurm.conf" <<EOF
ClusterName=paperlab-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/slurm/state
SlurmdSpoolDir=$dir/slurm/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurm/slurmctld.log
SlurmdLogFile=$dir/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=2
MinJobAge=10
NodeName=paperlab-node NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=paperlab-node Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
EOF
export SLURM_CONF="$dir/slurm/slurm.conf"
$as_root env SLURM_CONF="$SLURM_CONF" slurmctld -i -f "$SLURM_CONF" >>"$dir/slurm/slurmctld.out" 2>&1 || skip "slurmctld did not start (see $dir/slurm/slurmctld.log)"
wait_port "$ctld_port" || skip "slurmctld is not listening (see $dir/slurm/slurmctld.log)"
$as_root env SLURM_CONF="$SLURM_CONF" slurmd -N paperlab-node -f "$SLURM_CONF" >>"$dir/slurm/slurmd.out" 2>&1 || skip "slurmd did not start (see $dir/slurm/slurmd.log)"
# Ready when the node is idle and a trivial job runs.
ready=""
for _ in $(seq 100); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1)
  if [[ "$state" == idle* ]]; then ready=1; break; fi
  sleep 0.2
done
[[ -n "$ready" ]] || skip "the Slurm node did not become idle (state '$state'; see $dir/slurm/)"
timeout 30 srun --quiet -N1 -n1 true 2>"$dir/slurm/first-job.err" || skip "a first srun job failed: $(head -c 300 "$dir/slurm/first-job.err")"
{
  echo "SLURM_CONF=$SLURM_CONF"
  echo "SLURM_CPUS=$cpus"
  echo "SRUN_PREFIX=env SLURM_CONF=$SLURM_CONF srun --quiet --unbuffered -N1 -n1"
} >> "$env_file"
echo "daemons.sh: sshd on 127.0.0.1:$ssh_port, slurmctld on :$ctld_port, slurmd on :$slurmd_port ($dir)"
