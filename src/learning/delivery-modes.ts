/** How a course or scheme is delivered (ADR 0040), for the domains that cannot read course.entity. */
export { DELIVERY_MODES, type DeliveryMode } from './course.entity.js';
