// The checks the service makes too, done here first so that people hear of a slip at once. The
// service stays the authority: it checks everything again.

/** The two-digit code of each first letter, A to Z (I=34, O=35, W=32, X=30, Y=31, Z=33). */
const LETTER_CODES = [10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33];

export const MESSAGES = {
  required: ['此欄必填。', 'This field is required.'],
  choose: ['請選擇一項。', 'Please choose one.'],
  idFormat: ['身分證統一編號應為 1 個英文字母加 9 個數字（例如 A123456789）。', 'A national ID is one letter and nine digits (e.g. A123456789).'],
  idChecksum: ['身分證統一編號的檢查碼不正確，請再核對一次。', 'The national ID\'s check digit is wrong; please check the number again.'],
  scopeNone: ['請至少選擇一項範圍。', 'Choose at least one scope.'],
  scopeAlone: ['「所有次級利用」已涵蓋其他範圍，請單獨勾選。', '"All secondary use" covers every other scope: choose it alone.'],
  fileMissing: ['請附上證明文件。', 'Attach the evidence document.'],
  fileType: ['證明文件須為 PDF、PNG 或 JPEG 檔。', 'The evidence must be a PDF, PNG or JPEG file.'],
  fileSize: ['證明文件不可超過 5 MB。', 'The evidence may be at most 5 MB.'],
  notSigned: ['請先簽名。', 'Please sign first.'],
};

export const EVIDENCE_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

/** The ID as people type it, tidied: spaces gone, letters upper case. */
export function tidyId(value) {
  return (value ?? '').replace(/\s+/g, '').toUpperCase();
}

/**
 * What is wrong with a national ID or resident certificate number, or null: the first letter's code
 * (tens x1, units x9), the second character (a digit, or an old-format letter's code's units) x8, the
 * next seven digits x7 ... x1 and the check digit x1 must add up to a multiple of 10.
 */
export function nationalIdProblem(value) {
  const id = tidyId(value);
  if (id === '') {
    return MESSAGES.required;
  }
  // Second character: national ID (1, 2), resident certificate since 2021 (8, 9), older format (A to D).
  if (!/^[A-Z][1289A-D][0-9]{8}$/.test(id)) {
    return MESSAGES.idFormat;
  }
  const letter = LETTER_CODES[id.charCodeAt(0) - 65];
  const second = /[0-9]/.test(id[1]) ? Number(id[1]) : LETTER_CODES[id.charCodeAt(1) - 65] % 10;
  let sum = Math.floor(letter / 10) + (letter % 10) * 9 + second * 8;
  for (let i = 2; i < 9; i++) {
    sum += Number(id[i]) * (9 - i);
  }
  sum += Number(id[9]);
  return sum % 10 === 0 ? null : MESSAGES.idChecksum;
}

/** What is wrong with the chosen scopes, or null. */
export function scopesProblem(chosen, coversAll) {
  if (chosen.length === 0) {
    return MESSAGES.scopeNone;
  }
  if (coversAll && chosen.includes(coversAll) && chosen.length > 1) {
    return MESSAGES.scopeAlone;
  }
  return null;
}

/** What is wrong with an evidence file, or null. */
export function evidenceProblem(file) {
  if (!file) {
    return MESSAGES.fileMissing;
  }
  if (!EVIDENCE_MEDIA_TYPES.includes(file.type)) {
    return MESSAGES.fileType;
  }
  if (file.size > EVIDENCE_MAX_BYTES) {
    return MESSAGES.fileSize;
  }
  return null;
}

/**
 * The checks both pages make of a draft request before sending it: a kind, the scopes, and for a
 * representative the relation, the type of evidence and the evidence file. `fail(field, [zh, en])`
 * marks a field; each page adds its own (the person's ID, how identity was checked).
 */
export function checkDraftRequest(request, coversAll, fail) {
  if (!request.kind) {
    fail('kind', MESSAGES.choose);
  }
  const scopeProblem = scopesProblem(request.scopes, coversAll);
  if (scopeProblem) {
    fail('scopes', scopeProblem);
  }
  if (request.representative) {
    if (!request.representative.relation) {
      fail('representative.relation', MESSAGES.choose);
    }
    if (!request.representative.evidenceType) {
      fail('representative.evidenceType', MESSAGES.choose);
    }
    const fileProblem = evidenceProblem(request.evidence);
    if (fileProblem) {
      fail('evidence', fileProblem);
    }
  }
}
