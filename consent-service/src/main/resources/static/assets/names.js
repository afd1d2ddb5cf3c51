// Words the consent pages use on more than one page: name pairs for named() (/platform/ui.js).

export const KIND_NAMES = {
  'opt-out': ['退出（停止次級利用）', 'Opt out (stop secondary use)'],
  withdrawal: ['撤回退出（同意恢復利用）', 'Withdraw an opt-out (allow use again)'],
};

export const CHANNEL_NAMES = {
  counter: ['臨櫃', 'At a counter'],
  online: ['線上', 'Online'],
};

export const DELIVERY_NAMES = {
  pending: ['待送交登錄中心', 'Waiting to reach the registry'],
  delivered: ['已登錄', 'Recorded in the registry'],
  held: ['登錄中心拒收，待承辦人處理', 'Refused by the registry, waiting for a clerk'],
  refused: ['登錄中心拒收', 'Refused by the registry'],
  'held-for-review': ['待承辦人員審核代理證明文件', 'Waiting for a clerk to review the evidence'],
  'rejected-in-review': ['代理證明文件未獲採認，申請不予登錄', 'The evidence was not accepted; the filing will not be recorded'],
};
