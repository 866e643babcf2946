// The GAN family's network layouts:
//   Conv  (the default): the DCGAN shapes of ../shared/peers/ae_torch.py (GanGenerator, ImageTrunk), images with H and W
//         divisible by 4;
//   Dense: the multilayer perceptrons of Keras-GAN's MNIST models (the seed study's kind of BiGAN, latent 100):
//         G  z -> Linear(Z, g0) LeakyReLU(0.2) BN -> Linear(g0, g1) LeakyReLU(0.2) BN -> Linear(g1, C H W) tanh;
//         E  x -> Linear(C H W, d0) LeakyReLU(0.2) BN -> Linear(d0, d1) LeakyReLU(0.2) BN -> Linear(d1, Z);
//         D  (gan, infogan) x -> Linear(C H W, d0) LeakyReLU(0.2) -> Linear(d0, d1) LeakyReLU(0.2) -> Linear(d1, 1);
//         joint D (bigan) [x | z] -> 3 x (Linear(., J) LeakyReLU(0.2), dropout in training) -> Linear(J, 1).
//         Batch norm as Keras's BatchNormalization(momentum=0.8): running statistics 0.8 old + 0.2 batch, eps 1e-3.
namespace Latent.Models.Gans;

/// <summary>The GAN family's network layouts: the DCGAN's convolutions, or Keras-GAN's dense networks.</summary>
public enum GanNetwork
{
    Conv,
    Dense,
}
