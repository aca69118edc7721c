/** The core's version, which sector manifests' `requires` ranges are checked against. */
export const CORE_VERSION = '1.0.0';
