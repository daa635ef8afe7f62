import { product } from '../action.js';
import { LookupEvents } from './lookup-events.js';

/** ActionTrail (2020-07-06): looking up the audit trail. */
export const Actiontrail = product({ code: 'Actiontrail', endpointPrefix: 'actiontrail', version: '2020-07-06', actions: [LookupEvents] });
