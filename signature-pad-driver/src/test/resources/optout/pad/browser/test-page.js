// The test page: attaches the component and records what the tests ask the page about.
import { PenCapture } from '/pen-capture.js';

const canvas = document.getElementById('pad');
const status = document.getElementById('status');
const page = { ready: false, violations: [], strokeEnds: [], moves: 0, coalescedMoves: 0 };
window.testPage = page;

document.addEventListener('securitypolicyviolation', (event) => page.violations.push(event.violatedDirective + ' ' + event.blockedURI));
// Counts how often the browser coalesced several measured points into one pointermove.
canvas.addEventListener('pointermove', (event) => {
  page.moves++;
  if (event.getCoalescedEvents().length > 1) {
    page.coalescedMoves++;
  }
});
page.capture = new PenCapture(canvas, {
  label: '簽名區，請以觸控筆或手指簽名 Signature area: sign with a pen or finger',
  liveRegion: status,
  onStrokeEnd: (detail) => page.strokeEnds.push(detail),
});
document.getElementById('clear').addEventListener('click', () => page.capture.clear());
page.ready = true;
