/** Domain events of a case, past tense, one name per fact. */
export const CASE_EVENTS = {
  START_ASSESSMENT: 'CaseAssessmentStarted',
  START_SUPPORT: 'CaseSupportStarted',
  START_MONITORING: 'CaseMonitoringStarted',
  RESUME_SUPPORT: 'CaseSupportResumed',
  CLOSE: 'CaseClosed',
  SUSPEND: 'CaseSuspended',
  REOPEN: 'CaseReopened',
} as const;

export const CaseOpened = 'CaseOpened';
export const CaseNoteAdded = 'CaseNoteAdded';
export const CasePersonAdded = 'CasePersonAdded';
export const CasePersonRemoved = 'CasePersonRemoved';
export const CaseIssuesChanged = 'CaseIssuesChanged';
