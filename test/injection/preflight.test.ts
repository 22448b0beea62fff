import { injectionSuite } from './suite';

injectionSuite('preflight');
