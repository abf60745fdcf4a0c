// placeholder: replaced by the console engine
export {};
