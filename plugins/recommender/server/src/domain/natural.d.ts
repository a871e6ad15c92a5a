// natural's package root takes about a second to load, pulls in its storage back-ends (pg, redis,
// mongoose) and runs dotenv, which reads ./.env into the environment; so the recommender requires
// single files, which ship no declarations of their own.
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer' {
  export class WordTokenizer {
    tokenize(text: string): string[];
  }
}

declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const PorterStemmer: { stem(token: string): string };
  export = PorterStemmer;
}

declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}
