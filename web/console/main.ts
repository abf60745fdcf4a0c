// placeholder: replaced by the console UI
export {};
