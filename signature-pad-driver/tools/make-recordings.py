#!/usr/bin/env python3
"""Makes the handwriting recordings that drive the virtual STU pad.

No pad is attached to our machines, so the recordings are synthesised with the sigma-lognormal model of
handwriting movement (Plamondon's kinematic theory): each stroke is a sum of lognormal velocity
components, which gives the bell-shaped speed profiles, the overlap between movements and the timing of
real signing. Written at an STU-430's geometry (9600 x 6000 units, 100 units/mm, pressure 0-1023) and
rate (200 Hz, whole-millisecond time stamps), with hovering between strokes, pressure rising and falling
at each pen-down, and sensor noise of a unit or two.

    python3 tools/make-recordings.py   # writes src/main/resources/optout/pad/stu/recordings/*.json

Deterministic: the same seeds give the same files.
"""
import json
import math
import os
import random

WIDTH, HEIGHT, MAX_PRESSURE, UNITS_PER_MM, RATE = 9600, 6000, 1023, 100.0, 200
STEP = 1.0 / RATE


def lognormal_speed(t, t0, mu, sigma):
    if t <= t0:
        return 0.0
    x = math.log(t - t0)
    return math.exp(-((x - mu) ** 2) / (2 * sigma * sigma)) / (sigma * math.sqrt(2 * math.pi) * (t - t0))


def lognormal_progress(t, t0, mu, sigma):
    if t <= t0:
        return 0.0
    return 0.5 * (1 + math.erf((math.log(t - t0) - mu) / (sigma * math.sqrt(2))))


def stroke(rng, components):
    """One pen-down movement: (x, y) in mm, relative to its start, sampled at RATE."""
    comps = []
    t0 = -0.05
    upwards = rng.random() < 0.5
    for _ in range(components):
        # cursive: strokes alternate up-and-right and down-and-slightly-left, curving as they go
        angle = rng.uniform(-1.35, -0.75) if upwards else rng.uniform(1.45, 2.05)
        distance = rng.uniform(5.0, 11.0)
        sigma = rng.uniform(0.18, 0.30)
        mu = rng.uniform(-1.9, -1.6)
        turn = rng.choice([-1, 1]) * rng.uniform(0.3, 1.4)
        comps.append((t0, mu, sigma, distance, angle, angle + turn))
        upwards = not upwards
        t0 += rng.uniform(0.10, 0.16)
    end = t0 + 0.35
    points, x, y, t = [], 0.0, 0.0, 0.0
    while t < end:
        vx = vy = 0.0
        for (c0, mu, sigma, distance, start, stop) in comps:
            speed = distance * lognormal_speed(t, c0, mu, sigma)
            direction = start + (stop - start) * lognormal_progress(t, c0, mu, sigma)
            vx += speed * math.cos(direction)
            vy += speed * math.sin(direction)
        x += vx * STEP
        y += vy * STEP
        points.append((x, y, math.hypot(vx, vy)))
        t += STEP
    return points


def recording(seed, strokes, name):
    rng = random.Random(seed)
    samples = []
    time_ms = 0
    sequence = rng.randrange(0, 65536)  # pads number their reports from wherever they are
    cursor = (18.0, 36.0)  # mm: the pen arrives at the left of the signing box
    for s in range(strokes):
        points = stroke(rng, rng.randint(4, 8))
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        start = (cursor[0] + rng.uniform(1.0, 4.0) - min(xs) * 0.0, 34.0 + rng.uniform(-4, 4) - (max(ys) + min(ys)) / 2)
        # hover from the cursor to the stroke's start, 60-200 ms
        hover = rng.randint(12, 40)
        for i in range(hover):
            f = (i + 1) / hover
            hx = cursor[0] + (start[0] - cursor[0]) * f
            hy = cursor[1] + (start[1] - cursor[1]) * f - 2.5 * math.sin(math.pi * f)
            samples.append(sample(rng, hx, hy, 0, time_ms, False, sequence))
            time_ms += 5
            sequence = (sequence + 1) % 65536
        peak = rng.uniform(0.55, 0.85)
        n = len(points)
        for i, (x, y, speed) in enumerate(points):
            envelope = min(1.0, i / 6.0, (n - 1 - i) / 5.0)
            pressure = peak * envelope * (1.0 - min(0.35, speed / 400.0)) + rng.uniform(-0.01, 0.01)
            samples.append(sample(rng, start[0] + x, start[1] + y, max(1, round(pressure * MAX_PRESSURE)), time_ms, True, sequence))
            time_ms += 5
            sequence = (sequence + 1) % 65536
        cursor = (start[0] + max(xs), start[1] + points[-1][1])
    # the pen rises and stays in range for a moment
    for i in range(20):
        samples.append(sample(rng, cursor[0] + i * 0.1, cursor[1] - i * 0.15, 0, time_ms, False, sequence))
        time_ms += 5
        sequence = (sequence + 1) % 65536
    return {
        "format": "nhi-optout-capture/1",
        "device": {"vendor": "NHI opt-out platform", "model": "recording " + name, "serialNumber": "", "firmware": ""},
        "capabilities": {"width": WIDTH, "height": HEIGHT, "maxPressure": MAX_PRESSURE, "unitsPerMillimetre": UNITS_PER_MM,
                         "samplesPerSecond": RATE, "screenWidth": 320, "screenHeight": 200},
        "startedAt": "2026-11-24T02:00:00Z",
        "samples": samples,
    }


def sample(rng, x_mm, y_mm, pressure, time_ms, touching, sequence):
    x = min(WIDTH, max(0, round(x_mm * UNITS_PER_MM + rng.uniform(-1.5, 1.5))))
    y = min(HEIGHT, max(0, round(y_mm * UNITS_PER_MM + rng.uniform(-1.5, 1.5))))
    return [x, y, pressure, time_ms * 1000, 3 if touching else 2, sequence]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "src", "main", "resources", "optout", "pad", "stu", "recordings")
    os.makedirs(target, exist_ok=True)
    for name, seed, strokes in [("signature-a", 19794, 3), ("signature-b", 2022, 4), ("signature-c", 13, 2)]:
        data = recording(seed, strokes, name)
        with open(os.path.join(target, name + ".json"), "w") as f:
            f.write("{" + ",".join('"%s":%s' % (k, json.dumps(v, separators=(",", ":"))) for k, v in data.items() if k != "samples"))
            f.write(',"samples":[\n' + ",\n".join(json.dumps(s, separators=(",", ":")) for s in data["samples"]) + "]}\n")
        print(name, len(data["samples"]), "samples,", data["samples"][-1][3] / 1e6, "s")


main()
