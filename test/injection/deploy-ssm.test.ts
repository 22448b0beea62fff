import { injectionSuite } from './suite';

injectionSuite('deploy-ssm');
