import { downloadArtifact, uploadArtifact } from './artifacts';
import { checkout } from './checkout';
import { configureAwsCredentials } from './configure-aws-credentials';
import type { StandIn } from './types';

export type { StandIn, StandInStep } from './types';

/** The stand-ins every run has, by `owner/name` (a caller's `standIns` add to or replace these). */
export const DEFAULT_STAND_INS: Readonly<Record<string, StandIn>> = {
  'aws-actions/configure-aws-credentials': configureAwsCredentials,
  'actions/checkout': checkout,
  'actions/upload-artifact': uploadArtifact,
  'actions/download-artifact': downloadArtifact,
};
