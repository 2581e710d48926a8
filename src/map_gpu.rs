//! The map's meshes kept on the GPU. The tessellated shapes of a drawn
//! scene are uploaded once into one vertex and one index buffer; each frame
//! then draws them with paint callbacks and a translation (the pan), so a
//! still frame or a drag hands none of the map's vertices to egui again.
//!
//! The vertices are egui's own (`epaint::Vertex`: position in points,
//! premultiplied gamma colour), made by egui's tessellator with its
//! anti-aliasing feather, and the shader blends them as egui's renderer
//! does, so the map looks the same whichever way it is drawn. Every map
//! mesh uses the font atlas's white texel, so the shader needs no texture.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use eframe::egui_wgpu::{self, wgpu};
use egui::epaint::{Mesh, Vertex};
use egui::{Rect, Vec2};
use wgpu::util::DeviceExt;

/// The meshes of one drawn scene, as runs (one for each stretch of shapes
/// between two labels, so that labels keep their place in the drawing order).
#[derive(Debug, Default)]
pub struct MapMeshes {
    /// Which upload this is: a new set of meshes is uploaded anew.
    id: u64,
    vertices: Vec<Vertex>,
    indices: Vec<u32>,
    /// First index, index count and base vertex of each run.
    runs: Vec<(u32, u32, i32)>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl MapMeshes {
    pub fn new() -> Self {
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            ..Self::default()
        }
    }

    /// Adds a mesh as a run of its own and returns its number, or `None`
    /// for a mesh this painter cannot draw (one with a texture other than
    /// the font atlas, or too large for 32-bit indices).
    pub fn push(&mut self, mesh: &Mesh) -> Option<usize> {
        if mesh.texture_id != egui::TextureId::default() {
            return None;
        }
        let first = u32::try_from(self.indices.len()).ok()?;
        let count = u32::try_from(mesh.indices.len()).ok()?;
        let base = i32::try_from(self.vertices.len()).ok()?;
        first.checked_add(count)?;
        self.vertices.extend_from_slice(&mesh.vertices);
        self.indices.extend_from_slice(&mesh.indices);
        self.runs.push((first, count, base));
        Some(self.runs.len() - 1)
    }

    pub fn vertex_count(&self) -> usize {
        self.vertices.len()
    }

    /// The paint callback that draws run `run`, moved by `offset` points,
    /// clipped to `clip`.
    pub fn callback(self: &Arc<Self>, run: usize, offset: Vec2, clip: Rect) -> egui::Shape {
        egui::Shape::Callback(egui_wgpu::Callback::new_paint_callback(
            clip,
            Run {
                meshes: Arc::clone(self),
                run,
                offset,
            },
        ))
    }
}

/// What the renderer keeps between frames: the pipeline, the view uniform
/// and the buffers of the last meshes uploaded.
struct Resources {
    pipeline: wgpu::RenderPipeline,
    view: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    dithering: bool,
    linear_target: bool,
    uploaded: Option<Uploaded>,
}

struct Uploaded {
    id: u64,
    vertices: wgpu::Buffer,
    indices: wgpu::Buffer,
}

/// The shader: positions in points, moved by the pan and mapped onto the
/// whole window as egui maps its own; colours blended premultiplied in
/// gamma space, dithered to eight bits when egui dithers.
const SHADER: &str = r"
struct View {
    offset: vec2<f32>,
    screen_points: vec2<f32>,
    flags: vec2<u32>,
};
@group(0) @binding(0) var<uniform> view: View;

struct Out {
    @builtin(position) position: vec4<f32>,
    @location(0) color: vec4<f32>,
};

@vertex
fn vs(@location(0) pos: vec2<f32>, @location(1) color: u32) -> Out {
    let p = pos + view.offset;
    var out: Out;
    out.position = vec4<f32>(
        2.0 * p.x / view.screen_points.x - 1.0,
        1.0 - 2.0 * p.y / view.screen_points.y,
        0.0,
        1.0,
    );
    out.color = vec4<f32>(
        f32(color & 255u),
        f32((color >> 8u) & 255u),
        f32((color >> 16u) & 255u),
        f32(color >> 24u),
    ) / 255.0;
    return out;
}

fn linear(c: vec3<f32>) -> vec3<f32> {
    return select(pow((c + 0.055) / 1.055, vec3<f32>(2.4)), c / 12.92, c < vec3<f32>(0.04045));
}

@fragment
fn fs(in: Out) -> @location(0) vec4<f32> {
    var rgb = in.color.rgb;
    if view.flags.x == 1u {
        // Interleaved gradient noise (Jimenez 2014), under half a level.
        let n = fract(52.9829189 * fract(0.06711056 * in.position.x + 0.00583715 * in.position.y));
        rgb = rgb + (n - 0.5) * 0.95 / 255.0;
    }
    if view.flags.y == 1u {
        rgb = linear(rgb);
    }
    return vec4<f32>(rgb, in.color.a);
}
";

/// Size of the view uniform: offset, window size in points, two flags.
const VIEW_BYTES: u64 = 24;

/// Makes the map's pipeline for a window's renderer, drawing into
/// `target_format` with `msaa_samples` samples and no depth buffer (what
/// eframe's renderer draws into), dithering when egui does.
pub fn install(render_state: &egui_wgpu::RenderState, msaa_samples: u32, dithering: bool) {
    let device = &render_state.device;
    let format = render_state.target_format;
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some("badiya map"),
        source: wgpu::ShaderSource::Wgsl(SHADER.into()),
    });
    let layout_entry = wgpu::BindGroupLayoutEntry {
        binding: 0,
        visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: false,
            min_binding_size: wgpu::BufferSize::new(VIEW_BYTES),
        },
        count: None,
    };
    let bind_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("badiya map view"),
        entries: &[layout_entry],
    });
    let view = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("badiya map view"),
        size: VIEW_BYTES.next_multiple_of(16),
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("badiya map view"),
        layout: &bind_layout,
        entries: &[wgpu::BindGroupEntry {
            binding: 0,
            resource: view.as_entire_binding(),
        }],
    });
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("badiya map"),
        bind_group_layouts: &[Some(&bind_layout)],
        immediate_size: 0,
    });
    let stride = std::mem::size_of::<Vertex>() as wgpu::BufferAddress;
    let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some("badiya map"),
        layout: Some(&pipeline_layout),
        vertex: wgpu::VertexState {
            module: &module,
            entry_point: Some("vs"),
            buffers: &[Some(wgpu::VertexBufferLayout {
                array_stride: stride,
                step_mode: wgpu::VertexStepMode::Vertex,
                // `Vertex` is { pos: Pos2, uv: Pos2, color: Color32 }.
                attributes: &[
                    wgpu::VertexAttribute {
                        format: wgpu::VertexFormat::Float32x2,
                        offset: 0,
                        shader_location: 0,
                    },
                    wgpu::VertexAttribute {
                        format: wgpu::VertexFormat::Uint32,
                        offset: 16,
                        shader_location: 1,
                    },
                ],
            })],
            compilation_options: wgpu::PipelineCompilationOptions::default(),
        },
        primitive: wgpu::PrimitiveState::default(),
        depth_stencil: None,
        multisample: wgpu::MultisampleState {
            count: msaa_samples.max(1),
            mask: !0,
            alpha_to_coverage_enabled: false,
        },
        fragment: Some(wgpu::FragmentState {
            module: &module,
            entry_point: Some("fs"),
            targets: &[Some(wgpu::ColorTargetState {
                format,
                blend: Some(wgpu::BlendState {
                    color: wgpu::BlendComponent {
                        src_factor: wgpu::BlendFactor::One,
                        dst_factor: wgpu::BlendFactor::OneMinusSrcAlpha,
                        operation: wgpu::BlendOperation::Add,
                    },
                    alpha: wgpu::BlendComponent {
                        src_factor: wgpu::BlendFactor::OneMinusDstAlpha,
                        dst_factor: wgpu::BlendFactor::One,
                        operation: wgpu::BlendOperation::Add,
                    },
                }),
                write_mask: wgpu::ColorWrites::ALL,
            })],
            compilation_options: wgpu::PipelineCompilationOptions::default(),
        }),
        multiview_mask: None,
        cache: None,
    });
    render_state
        .renderer
        .write()
        .callback_resources
        .insert(Resources {
            pipeline,
            view,
            bind_group,
            dithering,
            linear_target: format.is_srgb(),
            uploaded: None,
        });
}

/// One run of the map's meshes, drawn moved by `offset`.
struct Run {
    meshes: Arc<MapMeshes>,
    run: usize,
    offset: Vec2,
}

impl egui_wgpu::CallbackTrait for Run {
    fn prepare(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        screen: &egui_wgpu::ScreenDescriptor,
        _encoder: &mut wgpu::CommandEncoder,
        resources: &mut egui_wgpu::CallbackResources,
    ) -> Vec<wgpu::CommandBuffer> {
        let Some(r) = resources.get_mut::<Resources>() else {
            return Vec::new();
        };
        let meshes = &self.meshes;
        if r.uploaded.as_ref().is_none_or(|u| u.id != meshes.id) && !meshes.indices.is_empty() {
            r.uploaded = Some(Uploaded {
                id: meshes.id,
                vertices: device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some("badiya map vertices"),
                    contents: bytemuck::cast_slice(&meshes.vertices),
                    usage: wgpu::BufferUsages::VERTEX,
                }),
                indices: device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some("badiya map indices"),
                    contents: bytemuck::cast_slice(&meshes.indices),
                    usage: wgpu::BufferUsages::INDEX,
                }),
            });
        }
        let ppp = screen.pixels_per_point;
        let mut view = [0u8; VIEW_BYTES as usize];
        let words: [[u8; 4]; 6] = [
            self.offset.x.to_ne_bytes(),
            self.offset.y.to_ne_bytes(),
            (screen.size_in_pixels[0] as f32 / ppp).to_ne_bytes(),
            (screen.size_in_pixels[1] as f32 / ppp).to_ne_bytes(),
            u32::from(r.dithering).to_ne_bytes(),
            u32::from(r.linear_target).to_ne_bytes(),
        ];
        for (chunk, word) in view.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&word);
        }
        queue.write_buffer(&r.view, 0, &view);
        Vec::new()
    }

    fn paint(
        &self,
        info: egui::PaintCallbackInfo,
        pass: &mut wgpu::RenderPass<'static>,
        resources: &egui_wgpu::CallbackResources,
    ) {
        let Some(r) = resources.get::<Resources>() else {
            return;
        };
        let Some(uploaded) = r.uploaded.as_ref().filter(|u| u.id == self.meshes.id) else {
            return;
        };
        let Some(&(first, count, base)) = self.meshes.runs.get(self.run) else {
            return;
        };
        // Positions are mapped onto the whole window, as egui maps its own;
        // the clip rectangle (the map) stays egui's scissor.
        let [w, h] = info.screen_size_px;
        pass.set_viewport(0.0, 0.0, w as f32, h as f32, 0.0, 1.0);
        pass.set_pipeline(&r.pipeline);
        pass.set_bind_group(0, &r.bind_group, &[]);
        pass.set_vertex_buffer(0, uploaded.vertices.slice(..));
        pass.set_index_buffer(uploaded.indices.slice(..), wgpu::IndexFormat::Uint32);
        pass.draw_indexed(first..first + count, base, 0..1);
    }
}
