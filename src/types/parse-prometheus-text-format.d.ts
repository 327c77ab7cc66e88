// The package ships no types; parse/prometheus.ts is its only user and gives it a typed face.
declare module 'parse-prometheus-text-format' {
  const parse: (text: string) => unknown;
  export default parse;
}
