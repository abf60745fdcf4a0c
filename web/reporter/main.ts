// placeholder: replaced by the reporter UI
export {};
