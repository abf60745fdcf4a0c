// placeholder: replaced by the reporter engine
export {};
