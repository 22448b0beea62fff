import { arrayOf, boolean, fields, type Infer, oneOf, string } from '../shape';

export const preflightCheck = fields({
  check: string,
  verdict: oneOf('pass', 'fail', 'skip'),
  reason: string,
});
export type PreflightCheck = Infer<typeof preflightCheck>;

export const preflightHost = fields({
  host: string,
  passed: boolean,
  checks: arrayOf(preflightCheck),
});
export type PreflightHost = Infer<typeof preflightHost>;

/** preflight: every check on every host; it changes nothing. */
export const preflightRecord = fields({
  passed: boolean,
  hosts: arrayOf(preflightHost),
});
export type PreflightRecord = Infer<typeof preflightRecord>;
