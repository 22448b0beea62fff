export type { Handler, StubReply, StubRequest } from './handlers';
export type { DeploymentSeed, StoredDeployment, StoredStatus, TagSpec } from './repository';
export {
  type Failure,
  type GithubApiStub,
  type GithubApiStubOptions,
  type RecordedRequest,
  startGithubApiStub,
} from './server';
