import { injectionSuite } from './suite';

injectionSuite('summary');
