/**
 * Just enough of the ONNX protobuf format to describe small float32 graphs in code (opset 13, IR version 8), so the
 * engine needs no model files and no ONNX tooling: inputs with a known rank and symbolic dimensions, nodes with int,
 * float and int-list attributes, float scalar constants, outputs of any shape.
 */

export interface OnnxInput {
  name: string;
  rank: number;
}

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, number | number[]>;
}

export interface OnnxGraph {
  name: string;
  inputs: OnnxInput[];
  outputs: string[];
  nodes: OnnxNode[];
  /** Scalar float constants the nodes can name as inputs. */
  constants?: Record<string, number>;
}

const FLOAT = 1;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/**
 * Serialises a graph to ONNX model bytes that `InferenceSession.create` accepts.
 *
 * @example
 * const bytes = encodeOnnxModel({ name: 'matmul', inputs: [{ name: 'a', rank: 2 }, { name: 'b', rank: 2 }],
 *   outputs: ['y'], nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] }] });
 */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const model = new ProtoWriter();
  model.varint(1, 8); // ir_version
  model.bytes(2, utf8('rubato'));
  model.message(7, encodeGraph(graph));
  const opset = new ProtoWriter();
  opset.bytes(1, utf8(''));
  opset.varint(2, 13);
  model.message(8, opset);
  return model.finish();
}

function encodeGraph(graph: OnnxGraph): ProtoWriter {
  const writer = new ProtoWriter();
  for (const node of graph.nodes) writer.message(1, encodeNode(node));
  writer.bytes(2, utf8(graph.name));
  for (const [name, value] of Object.entries(graph.constants ?? {})) writer.message(5, encodeScalar(name, value));
  for (const input of graph.inputs) writer.message(11, encodeValueInfo(input.name, input.rank));
  for (const output of graph.outputs) writer.message(12, encodeValueInfo(output));
  return writer;
}

function encodeNode(node: OnnxNode): ProtoWriter {
  const writer = new ProtoWriter();
  for (const input of node.inputs) writer.bytes(1, utf8(input));
  for (const output of node.outputs) writer.bytes(2, utf8(output));
  writer.bytes(3, utf8(`${node.op}_${node.outputs[0]}`));
  writer.bytes(4, utf8(node.op));
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    const attribute = new ProtoWriter();
    attribute.bytes(1, utf8(name));
    if (Array.isArray(value)) {
      for (const item of value) attribute.varint(8, item);
      attribute.varint(20, ATTRIBUTE_INTS);
    } else if (Number.isInteger(value)) {
      attribute.varint(3, value);
      attribute.varint(20, ATTRIBUTE_INT);
    } else {
      attribute.float(2, value);
      attribute.varint(20, ATTRIBUTE_FLOAT);
    }
    writer.message(5, attribute);
  }
  return writer;
}

function encodeScalar(name: string, value: number): ProtoWriter {
  const tensor = new ProtoWriter();
  tensor.varint(2, FLOAT); // data_type; no dims: a scalar
  tensor.bytes(8, utf8(name));
  tensor.bytes(9, new Uint8Array(Float32Array.of(value).buffer)); // raw_data, little-endian
  return tensor;
}

/** A float tensor value; with a rank, every dimension is symbolic so one session serves all batch sizes. */
function encodeValueInfo(name: string, rank?: number): ProtoWriter {
  const tensorType = new ProtoWriter();
  tensorType.varint(1, FLOAT);
  if (rank !== undefined) {
    const shape = new ProtoWriter();
    for (let axis = 0; axis < rank; axis++) {
      const dimension = new ProtoWriter();
      dimension.bytes(2, utf8(`${name}_${axis}`));
      shape.message(1, dimension);
    }
    tensorType.message(2, shape);
  }
  const type = new ProtoWriter();
  type.message(1, tensorType);
  const info = new ProtoWriter();
  info.bytes(1, utf8(name));
  info.message(2, type);
  return info;
}

const encoder = new TextEncoder();
function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Protobuf wire format: varints (type 0), 32-bit floats (type 5), length-delimited fields (type 2). */
class ProtoWriter {
  private readonly chunks: number[] = [];

  varint(field: number, value: number): void {
    this.writeVarint(field * 8);
    this.writeVarint(value);
  }

  float(field: number, value: number): void {
    this.writeVarint(field * 8 + 5);
    this.chunks.push(...new Uint8Array(Float32Array.of(value).buffer));
  }

  bytes(field: number, data: Uint8Array): void {
    this.writeVarint(field * 8 + 2);
    this.writeVarint(data.length);
    for (const byte of data) this.chunks.push(byte);
  }

  message(field: number, child: ProtoWriter): void {
    this.bytes(field, child.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  private writeVarint(value: number): void {
    if (value < 0) throw new RangeError('negative varints are not needed by these graphs');
    let rest = value;
    while (rest >= 0x80) {
      this.chunks.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.chunks.push(rest);
  }
}
