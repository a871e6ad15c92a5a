export default { register() {}, };
