#!/usr/bin/env python3
"""Writes N registry commands as JSON Lines for the bulk-import benchmark.

Each synthetic person gets a contact group, a visitation (where the group has one), a municipality and then
absence registrations (valid reasons for the group), so most commands are accepted like a real import.
Usage: gen_commands.py [--persons] N OUT.jsonl [SEED]
With --persons, N is the number of persons (each with all its commands) instead of the number of commands, and the
CPR numbers stay unique beyond 840,000 persons (the serial counts the rounds of 16,800 birth dates).
"""
import json
import random
import sys

args = sys.argv[1:]
by_persons = args[:1] == ["--persons"]
if by_persons:
    args = args[1:]
n = int(args[0])
out = open(args[1], "w")
rng = random.Random(int(args[2]) if len(args) > 2 else 1)
groups = [(2, "jobparat", [8, 10, 11, 19, 20, 47, 79]), (1, None, [10, 11, 8]), (12, "aktivitetsparat", [11, 19, 20]),
          (24, None, [11, 37, 39])]
municipalities = [101, 147, 151, 153, 157, 159, 161, 163, 165, 167, 169, 173, 175, 183, 185, 187, 190, 201, 210]
written = 0
person = 0
while (person < n) if by_persons else (written < n):
    person += 1
    day, month, year = 1 + person % 28, 1 + (person // 28) % 12, 50 + (person // 336) % 50
    serial = person // 16800 if by_persons else person % 10000
    if by_persons and (day, month, year) == (3, 8, 95):
        year = 49  # 030895: the birth date of bench/daily_bench.sh's persons turning 30 on the benchmark day
    cpr = f"{day:02d}{month:02d}{year:02d}{serial:04d}"
    group, visitation, reasons = groups[person % len(groups)]
    lines = [{"command": "set_contact_group", "cpr": cpr, "registered_at": "2025-01-02", "contact_group": group,
              "start": "2025-01-02"}]
    if visitation:
        lines.append({"command": "set_visitation", "cpr": cpr, "registered_at": "2025-01-02", "category": visitation})
    lines.append({"command": "set_municipality", "cpr": cpr, "registered_at": "2025-01-02",
                  "municipality": rng.choice(municipalities), "start": "2025-01-02"})
    start_day = 10
    for _ in range(3):
        reason = rng.choice(reasons)
        month = 2 + len(lines)
        lines.append({"command": "register_absence", "cpr": cpr, "registered_at": f"2025-{month:02d}-{start_day:02d}",
                      "reason": reason, "start": f"2025-{month:02d}-{start_day:02d}",
                      "end": f"2025-{month:02d}-{start_day + 5:02d}", "comment": "bulk"})
    for line in lines:
        if written >= n and not by_persons:
            break
        out.write(json.dumps(line, separators=(",", ":")) + "\n")
        written += 1
