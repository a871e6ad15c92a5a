import certificate from './certificate';

export default { certificate };
