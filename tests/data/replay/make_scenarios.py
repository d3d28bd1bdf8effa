#!/usr/bin/env python3
"""Writes the golden-replay session CSVs of this directory (README.md says what each shows).

Each scenario is a few lines of intent: a heart-rate pattern, the cuff readings, the events.
The values are deterministic (no randomness), so re-running it reproduces the committed files.
    python3 tests/data/replay/make_scenarios.py
"""
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = os.path.join(HERE, "..", "real")
HEADER = "time_s,hr_bpm,sbp_mmhg,dbp_mmhg,map_mmhg,bp_source,event\n"


def wobble(t, amplitude, period):
    """A deterministic small variation, like a real trace's breathing and noise."""
    return amplitude * math.sin(2 * math.pi * t / period)


def fmt(x):
    return "" if x is None else (str(int(x)) if float(x).is_integer() else f"{x:.1f}")


def write(name, hr, nibp, events, end):
    """hr: {t: bpm}; nibp: {t: (sbp, dbp)}; events: [(t, text)]; rows to `end` seconds."""
    times = sorted(set(hr) | set(nibp) | {t for t, _ in events})
    assert times[-1] <= end
    by_time = {}
    for t, text in events:
        by_time.setdefault(t, []).append(text)
    lines = [HEADER]
    for t in times:
        sbp, dbp = nibp.get(t, (None, None))
        evs = by_time.get(t, []) or [""]
        src = "nibp" if sbp is not None else ""
        lines.append(f"{fmt(t)},{fmt(hr.get(t))},{fmt(sbp)},{fmt(dbp)},,{src},{evs[0]}\n")
        for e in evs[1:]:  # further events of the same instant, in order
            lines.append(f"{fmt(t)},,,,,,{e}\n")
    with open(os.path.join(HERE, name + ".csv"), "w") as f:
        f.writelines(lines)


def every(start, stop, step):
    return range(start, stop + 1, step)


S = 300  # every synthetic session: 5 min of baseline, then STARTED at 300 s


def stable_infusion():
    # BP rises with the infusion to a peak at 40 min (+30/+18: under every limit), HR +6.
    def rise(t):
        m = (t - S) / 60
        return 0 if m <= 0 else min(m / 40, 1) if m <= 40 else max(0, 1 - (m - 40) / 30)
    end = S + 3900
    hr = {t: round(74 + 6 * rise(t) + wobble(t, 2, 97)) for t in every(0, end, 5)}
    cuffs = [0] + list(every(S + 300, S + 2400, 300)) + [S + 3000, S + 3600]
    nibp = {t: (round(118 + 30 * rise(t)), round(76 + 18 * rise(t))) for t in cuffs}
    events = [(S, "infusion_started planned_minutes=40 session=stable"),
              (S + 2430, "infusion_stopped")]
    write("stable_infusion", hr, nibp, events, end)


def hypertensive_episode_ack():
    end = S + 3300
    hr = {t: round(84 + wobble(t, 3, 120)) for t in every(0, end, 5)}
    nibp = {0: (125, 80), S + 300: (138, 86), S + 600: (150, 90),
            S + 900: (168, 96),     # SBP_HIGH MEDIUM, SBP_RISE +43
            S + 1040: (186, 104),   # repeat cuff: SBP_HIGH to HIGH, DBP_HIGH MEDIUM
            S + 1140: (150, 88),    # after the pause: everything clears
            S + 1440: (142, 86), S + 1740: (140, 85), S + 2040: (139, 85),
            S + 2340: (137, 84), S + 2640: (136, 84), S + 3000: (132, 82)}
    events = [(S, "infusion_started planned_minutes=45 session=htn"),
              (S + 960, "ack SBP_HIGH by=nurse.kim"),
              (S + 1050, "infusion_paused"),
              (S + 1050, "ack SBP_HIGH by=nurse.kim"),
              (S + 1050, "ack DBP_HIGH by=nurse.kim"),
              (S + 1050, "ack SBP_RISE by=nurse.kim"),
              (S + 1200, "infusion_resumed"),
              (S + 2730, "infusion_stopped")]
    write("hypertensive_episode_ack", hr, nibp, events, end)


def bradycardia_run():
    def bpm(t):
        if 120 <= t <= 129:
            return 48  # ten samples below 50: 9 s, one short of the 10 s delay
        if 180 <= t <= 199:
            return 47
        if 200 <= t <= 229:
            return 38
        if 230 <= t <= 239:
            return 52  # inside the limit but within the 5 /min hysteresis
        if 240 <= t <= 299:
            return 58
        if 360 <= t <= 375:
            return 45
        return round(62 + wobble(t, 1.5, 40))
    end = 540
    hr = {t: bpm(t) for t in every(0, end, 1)}
    nibp = {0: (122, 78), 360: (118, 74)}
    events = [(60, "infusion_started planned_minutes=40 session=brady"),
              (300, "ack HR_LOW by=nurse.lee")]
    write("bradycardia_run", hr, nibp, events, end)


def monitor_dropout():
    end = S + 2520
    gap = range(S + 1200, S + 1530)
    hr = {t: round(78 + wobble(t, 2, 150)) for t in every(0, end, 5) if t not in gap}
    cuffs = [0] + list(every(S + 300, S + 900, 300)) + list(every(S + 1530, S + 2130, 300))
    nibp = {t: (round(121 + wobble(t, 3, 1300)), round(77 + wobble(t, 2, 1300))) for t in cuffs}
    events = [(S, "infusion_started planned_minutes=40 session=dropout"),
              (S + 1200, "monitor_offline"),
              (S + 1530, "monitor_online"),
              (S + 2430, "infusion_stopped")]
    write("monitor_dropout", hr, nibp, events, end)


def infusion_overrun():
    end = S + 4200
    hr = {t: round(76 + wobble(t, 2, 200)) for t in every(0, end, 5)}
    cuffs = [0] + list(every(S + 300, S + 3600, 300)) + [S + 3900]
    nibp = {t: (round(116 + wobble(t, 4, 2000)), round(74 + wobble(t, 3, 2000))) for t in cuffs}
    events = [(S, "infusion_started planned_minutes=50 session=overrun"),
              (S + 3660, "ack INFUSION_OVERRUN by=nurse.ola"),
              (S + 3780, "infusion_stopped")]  # when the ack's reminder falls due
    write("infusion_overrun", hr, nibp, events, end)


def with_events(source, name, events):
    """A real recording with event rows added at their times (after that instant's data)."""
    rows = open(os.path.join(REAL, source)).read().splitlines()
    header, data = rows[0], rows[1:]
    assert header + "\n" == HEADER
    out = [HEADER]
    pending = sorted(events)
    for row in data:
        t = float(row.split(",")[0])
        while pending and pending[0][0] < t:
            out.append(f"{fmt(pending[0][0])},,,,,,{pending.pop(0)[1]}\n")
        out.append(row + "\n")
    out += [f"{fmt(t)},,,,,,{e}\n" for t, e in pending]
    with open(os.path.join(HERE, name + ".csv"), "w") as f:
        f.writelines(out)


def real_recordings():
    # case02: arterial line only, no cuff; infusion from 60 s, recording ends 20.8 min in.
    with_events("case02_intraop_1hz.csv", "real_case02_infusion",
                [(60.5, "infusion_started planned_minutes=40 session=case02")])
    # case05: once-a-minute numerics; the monitor is off from 2460 s to 3720 s.
    with_events("case05_icu_1min.csv", "real_case05_infusion",
                [(1080.5, "infusion_started planned_minutes=45 session=case05"),
                 (2470, "monitor_offline"),
                 (3719.5, "monitor_online"),
                 (3800, "infusion_stopped")])


if __name__ == "__main__":
    stable_infusion()
    hypertensive_episode_ack()
    bradycardia_run()
    monitor_dropout()
    infusion_overrun()
    real_recordings()
