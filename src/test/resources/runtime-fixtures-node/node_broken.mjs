export const a = 1;
let b = = 2;
export const handler = () => a + b;
