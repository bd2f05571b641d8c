#!/usr/bin/env python3
"""Reads `strace -f` logs of amphora-agent runs and prints, per role (front, helper, launcher),
the system calls made *after* the process loaded its seccomp filter (a `seccomp(...)` call that
returned 0), counting every thread, and, for the launcher, every program it executed (children
inherit the launcher's filter). This is how the allow-lists in policy/ were measured:

  mkdir /tmp/trace-bin /tmp/traces
  printf '#!/bin/sh\nexec strace -f -qq -o /tmp/traces/agent.$$ BIN/amphora-agent "$@"\n' > /tmp/trace-bin/amphora-agent
  ln -s BIN/amphora-helper /tmp/trace-bin/; chmod +x /tmp/trace-bin/amphora-agent
  AMPHORA_BIN_DIR=/tmp/trace-bin swift test --filter IntegrationTests
  python3 policy/trace-syscalls.py --check /tmp/traces/agent.*   # --check: list what a policy lacks

(with a development build whose filters allow everything except clone3, so nothing is killed
while measuring). Children's own sets can be traced the same way: `strace -f -o F ip -n NS ...`
and `--role launcher F` counts the whole file as launcher.
"""
import re
import sys
from collections import defaultdict

line_re = re.compile(r'^(\d+)\s+(.*)$')
call_re = re.compile(r'^([a-z_0-9]+)\(')
resumed_re = re.compile(r'^<\.\.\. ([a-z_0-9]+) resumed>')


def clone_parents(path):
    """child pid -> (parent pid, is a thread), from every clone/fork that returned a pid."""
    parents = {}
    pending = {}
    for raw in open(path, errors='replace'):
        m = line_re.match(raw.rstrip('\n'))
        if not m:
            continue
        pid, text = int(m.group(1)), m.group(2)
        if text.endswith('<unfinished ...>'):
            pending[pid] = text
            continue
        mr = resumed_re.match(text)
        whole = pending.pop(pid, '') + text if mr else text
        mc = call_re.match(whole)
        if not mc or mc.group(1) not in ('clone', 'clone3', 'fork', 'vfork') or '=' not in whole:
            continue
        result = whole.rsplit('=', 1)[-1].strip().split(' ')[0]
        if result.isdigit() and int(result) > 0:
            parents[int(result)] = (pid, 'CLONE_THREAD' in whole)
    return parents


def roles_of(path, forced_role=None):
    parents = clone_parents(path)
    role = {}
    tgid = {}
    confined = set()
    pending = {}
    calls = defaultdict(set)
    first = None
    for raw in open(path, errors='replace'):
        m = line_re.match(raw.rstrip('\n'))
        if not m:
            continue
        pid, text = int(m.group(1)), m.group(2)
        if first is None:
            first = pid
            role[pid] = forced_role or 'agent'
            tgid[pid] = pid
            if forced_role:
                confined.add(pid)
        if text.startswith('---') or text.startswith('+++'):
            continue
        if text.endswith('<unfinished ...>'):
            pending[pid] = text[: -len('<unfinished ...>')]
            mc = call_re.match(text)
            name = mc.group(1) if mc else None
            whole = None
        else:
            mr = resumed_re.match(text)
            if mr:
                name = mr.group(1)
                whole = pending.pop(pid, name + '(') + text[mr.end():]
            else:
                mc = call_re.match(text)
                if not mc:
                    continue
                name = mc.group(1)
                whole = text
        if pid not in role:
            # First sight of a new pid (possibly before its parent's clone returned): inherit.
            parent, thread = parents.get(pid, (None, False))
            role[pid] = role.get(parent, forced_role or 'unknown')
            tgid[pid] = tgid.get(parent, pid) if thread else pid
            if parent is not None and tgid.get(parent, parent) in confined:
                confined.add(tgid[pid])
        r = role[pid]
        t = tgid[pid]
        if mc_counted(name) and t in confined:
            calls[r].add(name)
        if whole is None:
            continue
        result = whole.rsplit('=', 1)[-1].strip().split(' ')[0] if '=' in whole else ''
        if name in ('execve', 'execveat') and result == '0':
            if 'amphora-helper", "serve' in whole or '"amphora-helper", "--' in whole:
                role[pid] = 'helper'
            elif 'amphora-helper", "launcher' in whole:
                role[pid] = 'launcher'
            elif '"amphora-front"' in whole:
                role[pid] = 'front'
        elif name == 'seccomp' and 'SECCOMP_SET_MODE_FILTER' in whole and result == '0':
            confined.add(t)
    return calls


def mc_counted(name):
    return name is not None


def policy_names(role):
    """System calls a policy file mentions with a rule other than kill (allowed or answered)."""
    import os
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f'seccomp-{role}.policy')
    names = set()
    for line in open(path):
        words = line.split('#', 1)[0].split()
        if words and words[1:2] != ['kill']:
            names.add(words[0])
    return names


def main():
    args = sys.argv[1:]
    forced = None
    check = False
    if args[:1] == ['--check']:
        check, args = True, args[1:]
    if args[:1] == ['--role']:
        forced, args = args[1], args[2:]
    total = defaultdict(set)
    for path in args:
        for r, names in roles_of(path, forced).items():
            total[r] |= names
    missing_any = False
    for r in sorted(total):
        print(f'{r} ({len(total[r])}): ' + ' '.join(sorted(total[r])))
        if check and r in ('front', 'helper', 'launcher'):
            missing = total[r] - policy_names(r)
            if missing:
                missing_any = True
                print(f'  NOT IN policy/seccomp-{r}.policy: ' + ' '.join(sorted(missing)))
    sys.exit(1 if missing_any else 0)


main()
