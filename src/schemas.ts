// The JSON Schema ($id) each `-o json` contract names in its `$schema` field; the schemas are in
// schema/<name>.schema.json (JSON Schema 2020-12), generated from these types by `npm run schema`.

/** `podscope check -o json` (Report). */
export const REPORT_SCHEMA = 'urn:podscope:schema:report:1' as const;
/** `podscope pleg -o json` (PlegResult). */
export const PLEG_SCHEMA = 'urn:podscope:schema:pleg:1' as const;
/** `podscope inspect -o json` (AnatomyResult). */
export const INSPECT_SCHEMA = 'urn:podscope:schema:inspect:1' as const;
/** `podscope schedule -o json` (ScheduleResult). */
export const SCHEDULE_SCHEMA = 'urn:podscope:schema:schedule:1' as const;
/** `podscope stop -o json` (StopResult). */
export const STOP_SCHEMA = 'urn:podscope:schema:stop:1' as const;
/** `podscope checks -o json` (Catalogue). */
export const CHECKS_SCHEMA = 'urn:podscope:schema:checks:1' as const;
