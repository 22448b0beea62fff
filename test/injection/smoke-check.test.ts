import { injectionSuite } from './suite';

injectionSuite('smoke-check');
