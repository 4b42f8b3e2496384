/** The one call frugal makes into mistral-tokenizer-js, which ships no types of its own. */
declare module 'mistral-tokenizer-js' {
  const mistralTokenizer: {
    encode(prompt: string, addBosToken?: boolean, addPrecedingSpace?: boolean): number[];
  };
  export default mistralTokenizer;
}
