/**
 * A minimal ONNX (protobuf) encoder: just enough of onnx.proto to write small graphs with
 * float32 / int64 initializers, so fixture models can be built without Python or a
 * protobuf dependency. Field numbers follow onnx/onnx.proto (IR version 8).
 *
 * Output is deterministic: fields are written in a fixed order and nothing depends on time
 * or the environment, so rebuilding gives byte-identical files.
 */

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 };

/** AttributeProto.AttributeType values used here. */
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 };

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

/** Collects encoded bytes; messages are built bottom-up and nested as length-delimited. */
class Writer {
	constructor() {
		/** @type {number[]} */
		this.bytes = [];
	}

	/**
	 * Varints go through BigInt so int64 fields (ir_version, dims) never lose precision.
	 * @param {number | bigint} value
	 */
	varint(value) {
		let v = BigInt.asUintN(64, BigInt(value));
		while (v >= 0x80n) {
			this.bytes.push(Number(v & 0x7fn) | 0x80);
			v >>= 7n;
		}
		this.bytes.push(Number(v));
		return this;
	}

	/** @param {number} field @param {number} wire */
	tag(field, wire) {
		return this.varint((field << 3) | wire);
	}

	/** @param {number} field @param {number} value */
	int(field, value) {
		return this.tag(field, WIRE_VARINT).varint(value);
	}

	/** @param {number} field @param {Iterable<number> & { length: number }} bytes */
	raw(field, bytes) {
		this.tag(field, WIRE_LEN).varint(bytes.length);
		for (const b of bytes) this.bytes.push(b);
		return this;
	}

	/** @param {number} field @param {string} value */
	string(field, value) {
		return this.raw(field, utf8.encode(value));
	}

	/** @param {number} field @param {Writer} writer */
	message(field, writer) {
		return this.raw(field, writer.bytes);
	}

	/** @param {number} field @param {number} value */
	float(field, value) {
		const buf = new DataView(new ArrayBuffer(4));
		buf.setFloat32(0, value, true);
		this.tag(field, WIRE_FIXED32);
		for (let i = 0; i < 4; i++) this.bytes.push(buf.getUint8(i));
		return this;
	}

	/**
	 * Packed repeated float (proto3 default for repeated scalars).
	 * @param {number} field
	 * @param {number[]} values
	 */
	packedFloats(field, values) {
		const buf = new DataView(new ArrayBuffer(values.length * 4));
		values.forEach((v, i) => buf.setFloat32(i * 4, v, true));
		return this.raw(field, new Uint8Array(buf.buffer));
	}

	/** @param {number} field @param {number[]} values */
	packedVarints(field, values) {
		const inner = new Writer();
		for (const v of values) inner.varint(v);
		return this.raw(field, inner.bytes);
	}

	toUint8Array() {
		return Uint8Array.from(this.bytes);
	}
}

/**
 * TensorProto: dims=1, data_type=2, float_data=4, int64_data=7, name=8.
 * @param {string} name
 * @param {number[]} dims
 * @param {ArrayLike<number>} values
 * @param {number} [dataType]
 */
export function tensor(name, dims, values, dataType = DataType.FLOAT) {
	const count = dims.reduce((a, b) => a * b, 1);
	if (values.length !== count) {
		throw new Error(`tensor ${name}: ${values.length} values for dims [${dims}] (${count})`);
	}
	const w = new Writer().packedVarints(1, dims).int(2, dataType);
	if (dataType === DataType.FLOAT) w.packedFloats(4, Array.from(values));
	else if (dataType === DataType.INT64) w.packedVarints(7, Array.from(values));
	else throw new Error(`tensor ${name}: unsupported data type ${dataType}`);
	return w.string(8, name);
}

/**
 * AttributeProto: name=1, f=2, i=3, s=4, floats=7, ints=8, type=20. The type tells which
 * field to read, so an int attribute must not be written as a float (Flatten's axis is INT).
 * @param {string} name
 * @param {{ int?: number, float?: number, string?: string, ints?: number[], floats?: number[] }} value
 */
export function attribute(name, value) {
	const w = new Writer().string(1, name);
	if (value.int !== undefined) return w.int(3, value.int).int(20, AttributeType.INT);
	if (value.float !== undefined) return w.float(2, value.float).int(20, AttributeType.FLOAT);
	if (value.string !== undefined) return w.string(4, value.string).int(20, AttributeType.STRING);
	if (value.ints) return w.packedVarints(8, value.ints).int(20, AttributeType.INTS);
	if (value.floats) return w.packedFloats(7, value.floats).int(20, AttributeType.FLOATS);
	throw new Error(`attribute ${name}: no value`);
}

/**
 * NodeProto: input=1, output=2, name=3, op_type=4, attribute=5.
 * @param {string} opType
 * @param {string[]} inputs
 * @param {string[]} outputs
 * @param {Record<string, Parameters<typeof attribute>[1]>} [attributes]
 */
export function node(opType, inputs, outputs, attributes = {}) {
	const w = new Writer();
	for (const i of inputs) w.string(1, i);
	for (const o of outputs) w.string(2, o);
	w.string(3, `${opType}_${outputs[0]}`).string(4, opType);
	for (const [name, value] of Object.entries(attributes)) w.message(5, attribute(name, value));
	return w;
}

/**
 * ValueInfoProto (name=1, type=2) of a tensor: TypeProto.tensor_type=1 →
 * Tensor { elem_type=1, shape=2 } → TensorShapeProto.dim=1 → Dimension { dim_value=1,
 * dim_param=2 }. A string dimension is symbolic (e.g. 'batch').
 * @param {string} name
 * @param {(number | string)[]} shape
 * @param {number} [elemType]
 */
export function valueInfo(name, shape, elemType = DataType.FLOAT) {
	const shapeProto = new Writer();
	for (const d of shape) {
		const dim = typeof d === 'string' ? new Writer().string(2, d) : new Writer().int(1, d);
		shapeProto.message(1, dim);
	}
	const tensorType = new Writer().int(1, elemType).message(2, shapeProto);
	const type = new Writer().message(1, tensorType);
	return new Writer().string(1, name).message(2, type);
}

/**
 * ModelProto (ir_version=1, producer_name=2, producer_version=3, model_version=5,
 * doc_string=6, graph=7, opset_import=8) around a GraphProto (node=1, name=2,
 * initializer=5, doc_string=10, input=11, output=12).
 * @param {{ name: string, doc?: string, nodes: Writer[], initializers: Writer[],
 *   inputs: Writer[], outputs: Writer[] }} graph
 * @returns {Uint8Array}
 */
export function model(graph) {
	const g = new Writer();
	for (const n of graph.nodes) g.message(1, n);
	g.string(2, graph.name);
	for (const t of graph.initializers) g.message(5, t);
	if (graph.doc) g.string(10, graph.doc);
	for (const i of graph.inputs) g.message(11, i);
	for (const o of graph.outputs) g.message(12, o);

	// OperatorSetIdProto: domain=1 ('' is the default ONNX domain), version=2.
	const opset = new Writer().string(1, '').int(2, 13);
	return new Writer()
		.int(1, 8)
		.string(2, 'modelship-fixtures')
		.string(3, '1')
		.int(5, 1)
		.message(7, g)
		.message(8, opset)
		.toUint8Array();
}
