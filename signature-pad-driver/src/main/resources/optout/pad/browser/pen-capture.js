/**
 * pen-capture.js: captures a handwritten signature in the browser without losing its biometric data,
 * and writes it as an `nhi-optout-capture/1` capture (read on the server by optout.pad.browser.BrowserCapture).
 *
 * An ES module without dependencies; no bundler, no eval, no inline handlers, no inline styles in
 * markup (styles are set through the CSSOM, which a strict CSP allows):
 *
 *   <canvas id="signature"></canvas>
 *   <script type="module" src="/signature.js"></script>   // imports { PenCapture } from './pen-capture.js'
 *
 *   const pad = new PenCapture(canvas, { label: '簽名區 Signature area', liveRegion: status });
 *   pad.toJSON()  // the capture file's text, to POST
 *
 * What is recorded, and why:
 * - Pointer Events, with every coalesced event of each pointermove: the browser may deliver one
 *   pointermove per frame, and the points it measured in between are only in getCoalescedEvents().
 * - The capture starts at the first pointerdown (primary button) on the surface. Its pointer type is
 *   locked for the whole capture, and the pointerId for the duration of a stroke: other pointers are
 *   ignored (palm rejection: a resting palm's touch adds nothing while the pen writes). The pointerId
 *   is not locked across strokes because every new touch contact gets a new pointerId. If the palm
 *   touches first, the capture locks onto touch; pass `pointerTypes: ['pen']` where only a pen may sign.
 * - One sample per measured point: pointerdown and every coalesced pointermove of the stroke's pointer
 *   (touching), pointerup (not touching; in range for a pen), and a pen's hover moves between strokes
 *   (pen, buttons 0: in range, not touching). Nothing is recorded before the first stroke. A mouse's
 *   moves without a button are not recorded (a mouse is not a pen in range). A stroke that ends
 *   without pointerup (pointercancel, lostpointercapture) gets one closing sample at its last position,
 *   pressure 0, neither touching nor in range, at the time of that event, so that strokes never merge.
 * - Times: event.timeStamp (coalesced events carry their own), relative to the first sample, in integer
 *   microseconds. Never the wall clock, which can jump. A time earlier than the previous sample's
 *   (no browser should report one) is recorded as the previous time, because the format forbids
 *   going backwards. `startedAt` is the wall clock (UTC, milliseconds) when the first sample is recorded.
 * - Positions: CSS pixels relative to the surface's content box (no padding on the canvas, please),
 *   times 10, rounded: 10 units per CSS pixel, so unitsPerMillimetre = 10 × 96 / 25.4 ≈ 37.795 (a
 *   nominal CSS millimetre; a phone's real one differs). Width and height are the surface's size at the
 *   first sample; positions outside it (pointer capture follows the pen off the surface) are clamped
 *   to its edges.
 * - Pressure: 0..1 scaled to 0..65535 (16 bits: finer than any pen's digitiser, and what ISO/IEC
 *   19794-7 holds). Touching touch or mouse input that reports pressure 0 (no pressure sensor) is
 *   recorded at 0.5 (32768), which is what the Pointer Events spec prescribes for a mouse with a button
 *   down. A pen's pressure is kept as measured, even 0. Samples that do not touch have pressure 0.
 * - Tilt: pen captures have tiltX/tiltY (degrees, -90..90) in every sample; touch and mouse captures
 *   have none (browsers report 0 there, which is not a measurement). A pen without a tilt sensor
 *   reports 0, 0.
 * - samplesPerSecond: measured, the median interval between consecutive touching samples, clamped to
 *   1..1000 (60 when there are fewer than two such samples). Screen size 0: there is no device screen.
 * - Device: vendor "Web browser", model "Pointer Events: pen|touch|mouse", serial number "", firmware
 *   the component's version. No user agent: it is not needed and would identify the signer's device.
 * - Limits: at most 120,000 samples and times below 10 minutes; past either, nothing more is recorded
 *   or drawn and a "capturefull" event is fired.
 *
 * Ink is drawn in requestAnimationFrame (pressure-weighted line width); recording never waits for a frame.
 * Accessibility: the surface gets the caller's role (default "img") and aria-label; it is not made
 * focusable and never takes focus, so keyboard users are not trapped (they cannot sign here and need
 * another route). The stroke count is exposed (strokeCount, "strokeend" events) and, when given a
 * live region, written into it.
 */

export const COMPONENT = 'pen-capture.js/1';
export const FORMAT = 'nhi-optout-capture/1';
export const VENDOR = 'Web browser';
export const MODEL_PREFIX = 'Pointer Events: ';
export const UNITS_PER_CSS_PIXEL = 10;
export const UNITS_PER_MILLIMETRE = UNITS_PER_CSS_PIXEL * 96 / 25.4;
export const MAX_PRESSURE = 65535;
export const DEFAULT_PRESSURE = 0.5;
export const MAX_CAPTURE_MICROS = 600000000;
export const MAX_SAMPLES = 120000;

const POINTER_TYPES = ['pen', 'touch', 'mouse'];
const FALLBACK_SAMPLES_PER_SECOND = 60;
const MAX_SAMPLES_PER_SECOND = 1000;
const TOUCHING = 1;
const IN_RANGE = 2;
const NO_SEQUENCE = -1;

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

const defaultDescription = (count) => `已簽 ${count} 筆 / ${count} ${count === 1 ? 'stroke' : 'strokes'}`;

export class PenCapture {
  #surface;
  #context;
  #options;
  #samples = [];
  #pointerType = null;
  #activeId = null;
  #t0 = null;
  #startedAt = null;
  #width = 0;
  #height = 0;
  #strokeCount = 0;
  #full = false;
  #drawn = 0;
  #frame = 0;
  #resizeObserver = null;
  #listeners;

  /**
   * @param {HTMLCanvasElement} surface the signing surface
   * @param {object} options
   *   label (required): the aria-label, e.g. '簽名區 Signature area';
   *   role: default 'img';
   *   pointerTypes: which pointer types may sign, default ['pen', 'touch', 'mouse'];
   *   ink: colour, default '#0b1f4d'; minLineWidth, maxLineWidth: CSS px at pressure 0 and 1, default 0.8, 4;
   *   onStrokeEnd(detail): called when a stroke ends, detail {strokeCount, cancelled};
   *   onFull(): called once when the capture reaches its limits;
   *   liveRegion: an element (aria-live) to write the stroke count into;
   *   describeStrokes(count): its text, default bilingual zh-TW / English.
   */
  constructor(surface, options = {}) {
    if (!(surface instanceof HTMLCanvasElement)) {
      throw new TypeError('Cannot attach the pen capture: the surface must be a <canvas> element');
    }
    if (typeof options.label !== 'string' || options.label.trim() === '') {
      throw new TypeError('Cannot attach the pen capture: options.label (the aria-label) is required');
    }
    const pointerTypes = options.pointerTypes ?? POINTER_TYPES;
    if (!Array.isArray(pointerTypes) || pointerTypes.length === 0 || pointerTypes.some((t) => !POINTER_TYPES.includes(t))) {
      throw new TypeError('Cannot attach the pen capture: options.pointerTypes must list some of pen, touch, mouse');
    }
    this.#surface = surface;
    this.#options = {
      role: 'img',
      ink: '#0b1f4d',
      minLineWidth: 0.8,
      maxLineWidth: 4,
      describeStrokes: defaultDescription,
      ...options,
      pointerTypes: [...pointerTypes],
    };
    this.#context = surface.getContext('2d');
    surface.setAttribute('role', this.#options.role);
    surface.setAttribute('aria-label', this.#options.label);
    // The browser must not pan, zoom, select or show a callout while someone signs.
    surface.style.touchAction = 'none';
    surface.style.userSelect = 'none';
    surface.style.webkitUserSelect = 'none';
    surface.style.webkitTouchCallout = 'none';

    this.#listeners = {
      pointerdown: (event) => this.#down(event),
      pointermove: (event) => this.#move(event),
      pointerup: (event) => this.#up(event),
      pointercancel: (event) => this.#lost(event),
      lostpointercapture: (event) => this.#lost(event),
      // A long press (slow signers) must not open the context menu over the signature.
      contextmenu: (event) => event.preventDefault(),
    };
    for (const [type, listener] of Object.entries(this.#listeners)) {
      surface.addEventListener(type, listener);
    }
    this.#fitBackingStore();
    if (typeof ResizeObserver === 'function') {
      this.#resizeObserver = new ResizeObserver(() => this.#fitBackingStore());
      this.#resizeObserver.observe(surface);
    }
  }

  /** Forgets everything signed so far; the next pointerdown starts a new capture. */
  clear() {
    const active = this.#activeId;
    this.#activeId = null;
    if (active !== null && this.#surface.hasPointerCapture(active)) {
      this.#surface.releasePointerCapture(active);
    }
    this.#samples = [];
    this.#pointerType = null;
    this.#t0 = null;
    this.#startedAt = null;
    this.#width = 0;
    this.#height = 0;
    this.#strokeCount = 0;
    this.#full = false;
    this.#drawn = 0;
    this.#wipe();
    this.#announce();
  }

  isEmpty() {
    return this.#samples.length === 0;
  }

  get strokeCount() {
    return this.#strokeCount;
  }

  /** The locked pointer type ('pen', 'touch', 'mouse'), or null before the first stroke. */
  get pointerType() {
    return this.#pointerType;
  }

  /** Whether the capture reached its limits (120,000 samples or 10 minutes). */
  get full() {
    return this.#full;
  }

  /** The capture, exactly in the nhi-optout-capture/1 format. */
  toCapture() {
    if (this.isEmpty()) {
      throw new Error('Cannot make a capture: nothing has been signed yet');
    }
    return {
      format: FORMAT,
      device: { vendor: VENDOR, model: MODEL_PREFIX + this.#pointerType, serialNumber: '', firmware: COMPONENT },
      capabilities: {
        width: this.#width,
        height: this.#height,
        maxPressure: MAX_PRESSURE,
        unitsPerMillimetre: UNITS_PER_MILLIMETRE,
        samplesPerSecond: this.#samplesPerSecond(),
        screenWidth: 0,
        screenHeight: 0,
      },
      startedAt: this.#startedAt,
      samples: this.#samples.map((sample) => sample.slice()),
    };
  }

  /** The capture file's text (note: a string, so JSON.stringify(pad) yields a JSON string of it). */
  toJSON() {
    return JSON.stringify(this.toCapture());
  }

  /** Removes the listeners; the surface keeps its ink. */
  destroy() {
    for (const [type, listener] of Object.entries(this.#listeners)) {
      this.#surface.removeEventListener(type, listener);
    }
    this.#resizeObserver?.disconnect();
    if (this.#frame) {
      cancelAnimationFrame(this.#frame);
      this.#frame = 0;
    }
  }

  #down(event) {
    if (this.#activeId !== null || this.#full || event.button !== 0) {
      return;
    }
    if (this.#pointerType === null ? !this.#options.pointerTypes.includes(event.pointerType) : event.pointerType !== this.#pointerType) {
      return;
    }
    // Keeps a mouse drag from selecting or dragging anything else on the page.
    event.preventDefault();
    this.#pointerType = event.pointerType;
    if (!this.#record(event, true, true, this.#box())) {
      return;
    }
    this.#activeId = event.pointerId;
    this.#strokeCount++;
    try {
      this.#surface.setPointerCapture(event.pointerId);
    } catch {
      // The pointer is already gone; its pointerup or pointercancel ends the stroke.
    }
  }

  #move(event) {
    if (this.#full) {
      return;
    }
    let touching;
    if (this.#activeId !== null) {
      if (event.pointerId !== this.#activeId) {
        return;
      }
      touching = true;
    } else if (this.#pointerType === 'pen' && event.pointerType === 'pen' && event.buttons === 0) {
      touching = false;
    } else {
      return;
    }
    const box = this.#box();
    const measured = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const point of measured.length > 0 ? measured : [event]) {
      if (!this.#record(point, touching, true, box)) {
        return;
      }
    }
  }

  #up(event) {
    if (event.pointerId !== this.#activeId) {
      return;
    }
    this.#record(event, false, this.#pointerType === 'pen', this.#box());
    this.#endStroke(false);
  }

  #lost(event) {
    if (event.pointerId !== this.#activeId) {
      return;
    }
    // No measurement comes with these events: close the stroke where it was last seen.
    const last = this.#samples[this.#samples.length - 1];
    const closing = last.slice();
    closing[2] = 0;
    closing[3] = this.#micros(event.timeStamp);
    closing[4] = 0;
    if (closing[3] < MAX_CAPTURE_MICROS && this.#samples.length < MAX_SAMPLES) {
      this.#samples.push(closing);
    }
    this.#endStroke(true);
  }

  #endStroke(cancelled) {
    this.#activeId = null;
    this.#scheduleDraw();
    this.#announce();
    const detail = { strokeCount: this.#strokeCount, cancelled };
    this.#surface.dispatchEvent(new CustomEvent('strokeend', { detail }));
    this.#options.onStrokeEnd?.(detail);
  }

  /** The surface's content box in client coordinates, read once per DOM event. */
  #box() {
    const rect = this.#surface.getBoundingClientRect();
    return {
      left: rect.left + this.#surface.clientLeft,
      top: rect.top + this.#surface.clientTop,
      width: this.#surface.clientWidth,
      height: this.#surface.clientHeight,
    };
  }

  #micros(timeStamp) {
    const micros = Math.round((timeStamp - this.#t0) * 1000);
    const previous = this.#samples.length === 0 ? 0 : this.#samples[this.#samples.length - 1][3];
    return Math.max(micros, previous);
  }

  /** Records one measured point; false when the capture is full. */
  #record(point, touching, inRange, box) {
    if (this.#t0 === null) {
      this.#t0 = point.timeStamp;
      this.#startedAt = new Date().toISOString();
      this.#width = Math.max(1, Math.round(box.width * UNITS_PER_CSS_PIXEL));
      this.#height = Math.max(1, Math.round(box.height * UNITS_PER_CSS_PIXEL));
    }
    const micros = this.#micros(point.timeStamp);
    if (micros >= MAX_CAPTURE_MICROS || this.#samples.length >= MAX_SAMPLES) {
      this.#stop();
      return false;
    }
    const x = clamp(Math.round((point.clientX - box.left) * UNITS_PER_CSS_PIXEL), 0, this.#width);
    const y = clamp(Math.round((point.clientY - box.top) * UNITS_PER_CSS_PIXEL), 0, this.#height);
    const sample = [x, y, touching ? this.#pressure(point) : 0, micros, (touching ? TOUCHING : 0) | (inRange ? IN_RANGE : 0), NO_SEQUENCE];
    if (this.#pointerType === 'pen') {
      sample.push(PenCapture.#tilt(point.tiltX), PenCapture.#tilt(point.tiltY));
    }
    this.#samples.push(sample);
    if (touching) {
      this.#scheduleDraw();
    }
    return true;
  }

  #pressure(point) {
    let pressure = Number.isFinite(point.pressure) ? point.pressure : 0;
    if (pressure <= 0 && this.#pointerType !== 'pen') {
      pressure = DEFAULT_PRESSURE;
    }
    return Math.round(clamp(pressure, 0, 1) * MAX_PRESSURE);
  }

  static #tilt(degrees) {
    return Number.isFinite(degrees) ? clamp(Math.round(degrees), -90, 90) : 0;
  }

  #stop() {
    if (this.#full) {
      return;
    }
    this.#full = true;
    this.#activeId = null;
    this.#surface.dispatchEvent(new CustomEvent('capturefull'));
    this.#options.onFull?.();
  }

  #samplesPerSecond() {
    const gaps = [];
    for (let i = 1; i < this.#samples.length; i++) {
      const [previous, current] = [this.#samples[i - 1], this.#samples[i]];
      if ((previous[4] & TOUCHING) && (current[4] & TOUCHING) && current[3] > previous[3]) {
        gaps.push(current[3] - previous[3]);
      }
    }
    if (gaps.length === 0) {
      return FALLBACK_SAMPLES_PER_SECOND;
    }
    gaps.sort((a, b) => a - b);
    return clamp(Math.round(1e6 / gaps[Math.floor(gaps.length / 2)]), 1, MAX_SAMPLES_PER_SECOND);
  }

  #announce() {
    const region = this.#options.liveRegion;
    if (region) {
      region.textContent = this.#options.describeStrokes(this.#strokeCount);
    }
  }

  /** Sizes the canvas's pixels to its CSS size at the device pixel ratio, then redraws all ink. */
  #fitBackingStore() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(this.#surface.clientWidth * ratio);
    const height = Math.round(this.#surface.clientHeight * ratio);
    if (width !== this.#surface.width || height !== this.#surface.height) {
      // Resizing the canvas erases it: the ink is redrawn from the samples.
      this.#surface.width = width;
      this.#surface.height = height;
      this.#drawn = 0;
      this.#scheduleDraw();
    }
    this.#context.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  #wipe() {
    const context = this.#context;
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, this.#surface.width, this.#surface.height);
    context.restore();
  }

  #scheduleDraw() {
    if (!this.#frame) {
      this.#frame = requestAnimationFrame(() => this.#draw());
    }
  }

  #draw() {
    this.#frame = 0;
    const context = this.#context;
    const samples = this.#samples;
    if (this.#drawn === 0) {
      this.#wipe();
    }
    const { ink, minLineWidth, maxLineWidth } = this.#options;
    const width = (pressure) => minLineWidth + (maxLineWidth - minLineWidth) * (pressure / MAX_PRESSURE);
    context.strokeStyle = ink;
    context.fillStyle = ink;
    context.lineCap = 'round';
    for (let i = this.#drawn; i < samples.length; i++) {
      const current = samples[i];
      if (!(current[4] & TOUCHING)) {
        continue;
      }
      const previous = i > 0 && (samples[i - 1][4] & TOUCHING) ? samples[i - 1] : null;
      const x = current[0] / UNITS_PER_CSS_PIXEL;
      const y = current[1] / UNITS_PER_CSS_PIXEL;
      if (previous === null) {
        // A stroke's first point: a dot, so that a tap shows too.
        context.beginPath();
        context.arc(x, y, width(current[2]) / 2, 0, 2 * Math.PI);
        context.fill();
      } else {
        context.lineWidth = width((previous[2] + current[2]) / 2);
        context.beginPath();
        context.moveTo(previous[0] / UNITS_PER_CSS_PIXEL, previous[1] / UNITS_PER_CSS_PIXEL);
        context.lineTo(x, y);
        context.stroke();
      }
    }
    this.#drawn = samples.length;
  }
}
