import { injectionSuite } from './suite';

injectionSuite('health-deep-gate');
