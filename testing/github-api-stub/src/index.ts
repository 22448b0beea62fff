export type { ArtifactSeed, StoredArtifact, StoredRun, WorkflowRunSeed } from './actions';
export type { Account } from './bodies';
export type {
  CheckConclusion,
  CheckRunSeed,
  CheckRunStep,
  CheckStatus,
  CommitStatusSeed,
  StoredCheckRun,
  StoredCommitStatus,
} from './checks';
export type { Handler, StubReply, StubRequest } from './reply';
export type { CommitSeed, DeploymentSeed, StoredDeployment, StoredStatus, TagSpec } from './repository';
export {
  type Failure,
  type GithubApiStub,
  type GithubApiStubOptions,
  type RecordedRequest,
  startGithubApiStub,
} from './server';
